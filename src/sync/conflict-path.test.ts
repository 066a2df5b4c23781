import { describe, expect, it } from 'vitest';
import { parseConflictPath, setAtPath } from './conflict-path';

const household = {
  phone: '047-111-1111',
  consent: { scope: '拠点内', on: '2026-04-01' },
  persons: [
    { id: 'p-1', name: '山田 太郎', medication: 'デパケン' },
    { id: 'p-2', name: '山田 花子', medication: '' },
  ],
};

describe('conflict paths', () => {
  it('parses keys and list items by id, and refuses what is not a path', () => {
    expect(parseConflictPath('persons[p-1].medication')).toEqual([{ key: 'persons' }, { id: 'p-1' }, { key: 'medication' }]);
    expect(parseConflictPath('phone')).toEqual([{ key: 'phone' }]);
    for (const bad of ['', '.phone', 'phone.', '[p-1]', 'a..b', 'persons[p-1]medication']) expect(parseConflictPath(bad), bad).toBeNull();
  });

  it('writes the value back at its path and leaves the rest as it was', () => {
    const out = setAtPath(household, 'persons[p-2].medication', 'リスパダール');
    expect(out?.persons[1]).toEqual({ id: 'p-2', name: '山田 花子', medication: 'リスパダール' });
    expect(out?.persons[0]).toBe(household.persons[0]);
    expect(household.persons[1]!.medication).toBe('');
    expect(setAtPath(household, 'consent.scope', '市内の関係機関')?.consent).toEqual({ scope: '市内の関係機関', on: '2026-04-01' });
    expect(setAtPath(household, 'phone', undefined)).not.toHaveProperty('phone');
  });

  it('puts back a whole item that was removed, and says null when the path leads nowhere', () => {
    const removed = { ...household, persons: [household.persons[0]!] };
    expect(setAtPath(removed, 'persons[p-2]', household.persons[1])?.persons.map((p) => p.id)).toEqual(['p-1', 'p-2']);
    expect(setAtPath(removed, 'persons[p-2].medication', 'x')).toBeNull();
    expect(setAtPath(household, 'phone.area', '047')).toBeNull();
  });
});
