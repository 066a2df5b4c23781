import { describe, expect, it } from 'vitest';
import { casePaths, parseCaseRoute } from './route';

describe('case routes', () => {
  it('reads back every path it writes', () => {
    expect(parseCaseRoute(casePaths.list())).toEqual({ name: 'list' });
    expect(parseCaseRoute(casePaths.newUnknown())).toEqual({ name: 'new', householdId: null, personId: null });
    expect(parseCaseRoute(casePaths.newFor('h 1', 'p/2'))).toEqual({ name: 'new', householdId: 'h 1', personId: 'p/2' });
    expect(parseCaseRoute(casePaths.case('c-1'))).toEqual({ name: 'case', id: 'c-1' });
  });

  it('falls back to the list on a malformed escape', () => {
    expect(parseCaseRoute('#/cases/%E0%A4%A')).toEqual({ name: 'list' });
  });
});
