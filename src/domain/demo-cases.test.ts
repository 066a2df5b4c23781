import { describe, expect, it } from 'vitest';
import { foldCase, validateEntry } from './case-fold';
import { demoCases } from './demo-cases';
import { generateDemoHub } from './demo-data';
import type { CaseEntry, EntryBody } from './emergency-case';
import { japanDateOf } from './japan-time';

describe('demo cases', () => {
  it('makes a month of closed night calls that the case rules accept, none for the skipped household', () => {
    const now = '2026-12-03T06:00:00.000Z';
    const hub = generateDemoHub({ households: 40, facilities: 8, now });
    expect(hub.households[0]!.persons[0]!.name).toBe('佐藤 陽太');
    const cases = demoCases(hub.households, hub.facilities, hub.offices[0]!.id, now, new Set([hub.households[0]!.id]));
    expect(cases.length).toBe(6);
    for (const bodies of cases) {
      const entries: CaseEntry[] = [];
      for (const body of bodies) {
        const recordedAt = now;
        expect(validateEntry(entries.length === 0 ? null : foldCase(entries), body, recordedAt)).toEqual([]);
        entries.push({ id: `e${entries.length}`, caseId: 'c', index: entries.length, recordedAt, recordedBy: { userId: 'u', name: 'u' }, deviceId: 'd', prevHash: '', hash: '', body } as unknown as CaseEntry);
      }
      const kase = foldCase(entries);
      expect(kase.closedAt).not.toBeNull();
      expect(kase.subject.householdId).not.toBe(hub.households[0]!.id);
      const open = bodies[0] as Extract<EntryBody, { type: 'open' }>;
      // within the last 30 days, at night in Japan
      expect(Date.parse(now) - Date.parse(open.requestedAt)).toBeLessThan(31 * 86_400_000);
      expect(japanDateOf(open.requestedAt) <= japanDateOf(now)).toBe(true);
    }
  });
});
