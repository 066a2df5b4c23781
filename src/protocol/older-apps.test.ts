import { describe, expect, it } from 'vitest';
import type { Json } from './merge';
import { lacksReadings, withHeldReadings } from './older-apps';

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
