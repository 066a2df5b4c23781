import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { guidePageFor, HelpLink } from './help-link';

describe('「使い方」 opens the guide page of the screen', () => {
  it.each([
    ['', 'nightCall'],
    ['#/', 'nightCall'],
    ['#/households/h-1', 'nightCall'],
    ['#/households/new', 'registration'],
    ['#/households/h-1/edit', 'registration'],
    ['#/cases/new/h-1/p-1', 'nightCall'],
    ['#/match/h-1/p-1', 'nightCall'],
    ['#/facilities/f-1/vacancy', 'facilities'],
    ['#/claims?month=2026-11', 'claims'],
    ['#/settings/sync', 'handover'],
  ])('%s → %s', (hash, page) => {
    expect(guidePageFor(hash)).toBe(page);
  });
});

describe('the 「使い方」 link', () => {
  it('is named 「使い方」, opens its page of the guide in a new tab and says which page', () => {
    render(<HelpLink page="claims" className="help-link" />);
    const link = screen.getByRole('link', { name: '使い方' });
    expect(link).toHaveAttribute('href', '/guide/claims.html');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAccessibleDescription('手引き「月次の請求」を新しいタブで開きます');
  });
});
