import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { missingFeatures, OldBrowserScreen } from './old-browser';
import { T } from './text';

const isWellFormed = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;

afterEach(() => {
  Object.defineProperty(String.prototype, 'isWellFormed', isWellFormed);
});

describe('a browser too old for the evidence', () => {
  it('finds nothing missing where strings have isWellFormed', () => {
    expect(missingFeatures()).toEqual([]);
  });

  it('names isWellFormed when strings lack it (Safari before 16.4): the case chain cannot be hashed', () => {
    delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
    expect(missingFeatures()).toEqual(['String.prototype.isWellFormed']);
  });

  it('says in Japanese that the app cannot be used here and what to update', () => {
    render(<OldBrowserScreen missing={['String.prototype.isWellFormed']} />);
    expect(screen.getByRole('heading', { name: T.oldBrowserTitle })).toBeInTheDocument();
    expect(screen.getByText(/iOS／iPadOS 17 以降/)).toBeInTheDocument();
    expect(screen.getByText('String.prototype.isWellFormed')).toBeInTheDocument();
  });
});
