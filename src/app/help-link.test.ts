import { describe, expect, it } from 'vitest';
import { guidePageFor } from './help-link';

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
