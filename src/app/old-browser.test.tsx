import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { missingFeatures, OldBrowserScreen } from './old-browser';
import { showOldBrowser } from './old-browser-check';
import { T } from './text';

const isWellFormed = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;

afterEach(() => {
  Object.defineProperty(String.prototype, 'isWellFormed', isWellFormed);
  vi.unstubAllGlobals();
});

describe('a browser too old for the evidence', () => {
  it('finds nothing missing where strings have isWellFormed', () => {
    expect(missingFeatures()).toEqual([]);
  });

  it('names isWellFormed when strings lack it (Safari before 16.4): the case chain cannot be hashed', () => {
    delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
    expect(missingFeatures()).toEqual(['String.prototype.isWellFormed']);
  });

  it('names the lookbehind when regular expressions lack it (Safari before 16.4): the app\'s code cannot even be parsed', () => {
    const Native = RegExp;
    vi.stubGlobal('RegExp', function (pattern: string, flags?: string) {
      if (pattern.includes('(?<=')) throw new SyntaxError('Invalid regular expression: invalid group specifier name');
      return new Native(pattern, flags);
    });
    expect(missingFeatures()).toEqual(['RegExp lookbehind']);
  });

  it('draws the screen in plain DOM in place of the starting frame, before any of the app is loaded', () => {
    const root = document.createElement('div');
    root.innerHTML = '<p role="status">起動しています…</p>';
    document.body.append(root);
    showOldBrowser(root, ['RegExp lookbehind']);
    expect(screen.getByRole('heading', { level: 1, name: T.oldBrowserTitle })).toBeInTheDocument();
    expect(screen.getByText(/iOS／iPadOS 17 以降/)).toBeInTheDocument();
    expect(screen.getByText('RegExp lookbehind')).toBeInTheDocument();
    expect(screen.queryByText('起動しています…')).toBeNull();
    expect(document.title).toBe(`${T.oldBrowserTitle}｜拠点ナビ`);
    root.remove();
  });

  it('says in Japanese that the app cannot be used here and what to update', () => {
    render(<OldBrowserScreen missing={['String.prototype.isWellFormed']} />);
    expect(screen.getByRole('heading', { name: T.oldBrowserTitle })).toBeInTheDocument();
    expect(screen.getByText(/iOS／iPadOS 17 以降/)).toBeInTheDocument();
    expect(screen.getByText('String.prototype.isWellFormed')).toBeInTheDocument();
  });
});
