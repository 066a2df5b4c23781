import { describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { foldCase } from '../domain/case-fold';
import { foldedCasesOf } from './folded-cases';

describe('foldedCasesOf', () => {
  it('folds again only the chain that changed, and reads its new entry', async () => {
    const a = await appendEntries([], [openBody()], 'case-a');
    const b = await appendEntries([], [openBody()], 'case-b');
    const broken = (await appendEntries([], [openBody(), contactBody()], 'case-x')).slice(1);
    const before = foldedCasesOf(new Map([['case-a', a], ['case-b', b], ['case-x', broken]]));
    expect(before.cases.map((c) => c.id)).toEqual(['case-a', 'case-b']);
    expect(before.unreadable).toEqual(['case-x']);

    // a call recorded on case-b replaces its chain (the store never changes one in place)
    const b2 = await appendEntries(b, [contactBody({ result: '受入可' })]);
    const after = foldedCasesOf(new Map([['case-a', a], ['case-b', b2], ['case-x', broken]]));
    expect(after.cases[0]).toBe(before.cases[0]);
    expect(after.cases[1]).not.toBe(before.cases[1]);
    expect(after.cases[1]).toEqual(foldCase(b2));
    expect(after.cases[1]!.contacts.map((c) => c.body.result)).toEqual(['受入可']);
  });
});
