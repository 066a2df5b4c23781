import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { missingFeatures, OldBrowserScreen } from './old-browser';
import { T } from './text';

const isWellFormed = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;

afterEach(() => {
  Object.defineProperty(String.prototype, 'isWellFormed', isWellFormed);
});

describe('a browser too old for the evidence', () => {
  it('finds nothing missing where WebCrypto has Ed25519 and strings have isWellFormed', async () => {
    expect(await missingFeatures()).toEqual([]);
  });

  it('names Ed25519 when WebCrypto refuses the algorithm (Safari 16, Chrome before 137)', async () => {
    const subtle = { importKey: () => Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError')) };
    expect(await missingFeatures({ crypto: { subtle } as unknown as Crypto })).toEqual(['WebCrypto Ed25519']);
  });

  it('names isWellFormed when strings lack it (Safari before 16.4): the case chain cannot be hashed', async () => {
    delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
    expect(await missingFeatures()).toEqual(['String.prototype.isWellFormed']);
  });

  it('says in Japanese that the app cannot be used here and what to update', () => {
    render(<OldBrowserScreen missing={['WebCrypto Ed25519']} />);
    expect(screen.getByRole('heading', { name: T.oldBrowserTitle })).toBeInTheDocument();
    expect(screen.getByText(/iOS／iPadOS 17 以降/)).toBeInTheDocument();
    expect(screen.getByText('WebCrypto Ed25519')).toBeInTheDocument();
  });
});
