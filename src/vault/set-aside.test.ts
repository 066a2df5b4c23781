/**
 * [R3] Which households are set aside, read from clear columns for their screens: a household held
 * here whose newer version this app cannot read shows its old 服薬 and contacts, and must say so.
 */
import { describe, expect, it } from 'vitest';
import { createFacility } from '../../test/factories/facility';
import { createHousehold, createPerson } from '../../test/factories/household';
import type { WireRecord } from '../protocol/sync';
import { newId, setUpTestVault } from './testing';

function wire(kind: 'household' | 'facility', entityId: string, version: number, data: unknown): WireRecord {
  return { kind, entityId, version, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(data) };
}

/** As a newer app writes it: a 医療的ケア kind this app does not know (its z.enum fails). */
const newerHousehold = (id: string) =>
  createHousehold({ id, persons: [createPerson({ medicalCare: ['tube-feeding', 'a-care-this-app-does-not-know' as never], medications: '新しい服薬' })] });

describe('set-aside households [R3]', () => {
  it('[R3] names the households set aside by key, not the facilities, and drops one once a version it reads comes', async () => {
    const { session } = await setUpTestVault();
    const held = newId();
    const other = newId();
    const facility = newId();
    const old = createHousehold({ id: held, persons: [createPerson({ medications: '前の服薬' })] });
    await session.sync.applyRemote([wire('household', held, 1, old), wire('household', other, 1, createHousehold({ id: other }))]);
    expect((await session.sync.setAsideCounts()).households ?? []).toEqual([]);

    await session.sync.applyRemote([
      wire('household', held, 2, newerHousehold(held)),
      { ...wire('facility', facility, 1, createFacility({ id: facility })), payloadJson: '{not json' },
    ]);
    const counts = await session.sync.setAsideCounts();
    expect(counts.total).toBe(2);
    expect(counts.households).toEqual([held]);
    // The held copy stays as it was: the screens show it, and the key above says it is old.
    expect((await session.get<typeof old>('household', held))?.data.persons[0]?.medications).toBe('前の服薬');

    await session.sync.applyRemote([wire('household', held, 3, createHousehold({ id: held }))]);
    expect((await session.sync.setAsideCounts()).households ?? []).toEqual([]);
  });
});
