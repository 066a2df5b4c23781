import { describe, expect, it } from 'vitest';
import type { Json } from './merge';
import { keptFromHeld, lacksReadings, needsHeld, withHeldReadings } from './older-apps';

const contact = (name: string, furigana?: string) => ({ name, relation: '', phones: ['090-0123-4567'], note: '', ...(furigana === undefined ? {} : { furigana }) });
const household = (...contacts: ReturnType<typeof contact>[]) => ({ id: 'hh', emergencyContacts: contacts }) as Json;

describe("an older app's household: the readings it does not know stay", () => {
  it('takes the reading held for a contact that came without the key, the n-th of a name for the n-th', () => {
    const held = household(contact('田中 由美子', 'たなか ゆみこ'), contact('田中 健', 'たなか けん'), contact('田中 健', 'たなか たけし'));
    const older = household(contact('田中 健'), contact('田中 健'), contact('田中 由美子'), contact('新しい 人'));
    expect(lacksReadings(older)).toBe(true);
    expect(withHeldReadings(held, older)).toEqual(household(contact('田中 健', 'たなか けん'), contact('田中 健', 'たなか たけし'), contact('田中 由美子', 'たなか ゆみこ'), contact('新しい 人')));
  });

  it("leaves a newer app's contacts as sent: a reading cleared ('') stays cleared", () => {
    const held = household(contact('田中 由美子', 'たなか ゆみこ'));
    const newer = household(contact('田中 由美子', ''));
    expect(lacksReadings(newer)).toBe(false);
    expect(withHeldReadings(held, newer)).toBe(newer);
  });

  it('changes nothing when the hub holds no reading to keep', () => {
    const older = household(contact('田中 由美子'));
    expect(withHeldReadings(household(contact('田中 由美子')), older)).toBe(older);
    expect(withHeldReadings({ id: 'hh' }, older)).toBe(older);
  });
});

describe("an app from before reviews were recorded: the hub's 見直し stay", () => {
  const review = { id: 'rv-1', reviewedOn: '2026-05-01', reviewedBy: '小野 恵美', reviewedByUserId: 'u-1', note: '', recordedAt: '2026-05-01T03:00:00.000Z' };
  const held = { id: 'hh', address: '松戸市本町1-1', reviews: [review], emergencyContacts: [contact('田中 由美子', 'たなか ゆみこ')] } as Json;

  it('keeps the held reviews when an edit comes without the key, with the readings it did not know either', () => {
    const older = { id: 'hh', address: '松戸市本町3-3', emergencyContacts: [contact('田中 由美子')] } as Json;
    expect(needsHeld('household', older)).toBe(true);
    expect(keptFromHeld('household', held, older)).toEqual({ id: 'hh', address: '松戸市本町3-3', reviews: [review], emergencyContacts: [contact('田中 由美子', 'たなか ゆみこ')] });
  });

  it("leaves a newer app's list as sent, [] too, and a record the hub holds without reviews as it came", () => {
    const newer = { id: 'hh', address: '松戸市本町3-3', reviews: [], emergencyContacts: [contact('田中 由美子', 'たなか ゆみこ')] } as Json;
    expect(needsHeld('household', newer)).toBe(false);
    expect(keptFromHeld('household', held, newer)).toBe(newer);
    const older = { id: 'hh', emergencyContacts: [] } as Json;
    expect(keptFromHeld('household', { id: 'hh', emergencyContacts: [] }, older)).toBe(older);
    expect(needsHeld('facility', { id: 'fac' })).toBe(false);
  });
});
