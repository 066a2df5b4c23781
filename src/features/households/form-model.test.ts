import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import type { Household } from '../../domain/household';
import { emptyPerson, validateHousehold } from '../../domain/household-schema';
import { fromDraft, fromForm, moveItem, overHeld, removeAt, splitPhones, toForm, type HouseholdForm } from './form-model';

describe('splitPhones', () => {
  it('splits numbers written on one line with a slash or a space between them, and keeps a label with its number', () => {
    expect(splitPhones('090-1111-2222 / 03-3333-4444')).toEqual(['090-1111-2222', '03-3333-4444']);
    expect(splitPhones('090-1111-2222　03-3333-4444')).toEqual(['090-1111-2222', '03-3333-4444']);
    // full-width digits and dashes, as an office PC's IME types them
    expect(splitPhones('０９０－１１１１－２２２２　０３－３３３３－４４４４')).toEqual(['０９０－１１１１－２２２２', '０３－３３３３－４４４４']);
    expect(splitPhones('夜間 090-1111-2222、03-3333-4444 夜間不可')).toEqual(['夜間 090-1111-2222', '03-3333-4444 夜間不可']);
    expect(splitPhones('047-111-2222\n\n携帯 080-1234-5678')).toEqual(['047-111-2222', '携帯 080-1234-5678']);
  });

  it('keeps a note after 、 with its number, and a label before it, instead of refusing it as a number too short', () => {
    expect(splitPhones('090-1111-2222 夜間、土日可')).toEqual(['090-1111-2222 夜間、土日可']);
    expect(splitPhones('夜間、090-1111-2222')).toEqual(['夜間 090-1111-2222']);
    expect(splitPhones('047-111-2222、平日のみ、090-3333-4444')).toEqual(['047-111-2222、平日のみ', '090-3333-4444']);
    expect(splitPhones('不明')).toEqual(['不明']);
    const form = toForm(createHousehold());
    const typed = { ...form, emergencyContacts: [{ ...form.emergencyContacts[0]!, phonesText: '090-1111-2222 夜間、土日可' }] };
    const saved = validateHousehold(fromForm(typed, '2026-05-01T00:00:00.000Z'));
    expect(saved.ok ? saved.value.emergencyContacts[0]!.phones : saved.errors).toEqual(['090-1111-2222 夜間、土日可']);
  });

  it('keeps a bracketed note with 、 or a comma whole, so the number saves without a digits message', () => {
    expect(splitPhones('090-1234-5678（夜間、土日も可）')).toEqual(['090-1234-5678（夜間、土日も可）']);
    expect(splitPhones('047-000-0000 (平日9時～17時, 土日不可)、090-1111-2222')).toEqual(['047-000-0000 (平日9時～17時, 土日不可)', '090-1111-2222']);
    const form = toForm(createHousehold());
    const typed = { ...form, emergencyContacts: [{ ...form.emergencyContacts[0]!, phonesText: '090-1234-5678（夜間、土日も可）' }] };
    const saved = validateHousehold(fromForm(typed, '2026-05-01T00:00:00.000Z'));
    expect(saved.ok ? saved.value.emergencyContacts[0]!.phones : saved.errors).toEqual(['090-1234-5678（夜間、土日も可）']);
  });
});

describe("a contact's reading in the form", () => {
  it('opens a contact saved without a reading as a blank field, and always writes the reading back', () => {
    const held = createHousehold({ emergencyContacts: [{ name: '田中 由美子', relation: '叔母', phones: ['090-0123-4567'], note: '' }] });
    const form = toForm(held);
    expect(form.emergencyContacts[0]!.furigana).toBe('');
    // '' rather than no key: the hub takes a contact without the key for an older app's (older-apps.ts)
    expect(fromForm(form, held.updatedAt).emergencyContacts).toStrictEqual([{ ...held.emergencyContacts[0], furigana: '' }]);
    const typed = { ...form, emergencyContacts: [{ ...form.emergencyContacts[0]!, furigana: 'たなか ゆみこ' }] };
    expect(fromForm(typed, held.updatedAt).emergencyContacts[0]).toStrictEqual({ ...held.emergencyContacts[0], furigana: 'たなか ゆみこ' });
  });

  it('[V1] keeps a field a newer app wrote inside the 同意書 through the form, as it keeps a person\'s', () => {
    const held = createHousehold({ consent: { date: '2026-04-01', consentedBy: '本人', scope: '拠点・短期入所', newerWitness: '職員 A' } as Household['consent'] });
    const saved = fromForm(toForm(held), held.updatedAt);
    expect(saved.consent).toStrictEqual(held.consent);
    expect(validateHousehold(saved)).toMatchObject({ ok: true });
  });

  it('reads a draft kept before contacts had a reading with a blank one', () => {
    const form = toForm(createHousehold());
    const { furigana: _dropped, ...old } = form.emergencyContacts[0]!;
    expect(fromDraft({ ...form, emergencyContacts: [old as never] }).emergencyContacts[0]!.furigana).toBe('');
  });
});

describe('[V1] an edit in this app keeps what a newer app wrote', () => {
  const contact = (name: string) => ({ name, relation: '', phones: ['090-0123-4567'], note: '', furigana: '' });
  /** Saved by a newer app: fields this app does not know at the top, in each person and in a contact. */
  function fromNewerApp(): Household {
    return {
      ...createHousehold(),
      futureTop: { plan: 'b' },
      persons: [
        { ...createPerson({ recipientNumber: '1111111111' }), futurePerson: '左側から声をかける' },
        { ...createPerson({ recipientNumber: '2222222222' }), futurePerson: '音に敏感' },
      ],
      emergencyContacts: [{ ...contact('山田 一郎'), futureContact: { line: 'yamada' } }, contact('山田 二郎')],
    } as unknown as Household;
  }

  /** What 保存 saves: the form read back, checked, and put over the record held now. */
  function saved(form: HouseholdForm, held: Household): Household {
    const checked = validateHousehold(fromForm(form, '2026-12-05T00:00:00.000Z'));
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    return overHeld(checked.value, form.formBase, held).record;
  }

  const unknownOf = (h: Household) => {
    const r = h as unknown as { futureTop?: unknown; persons: { id: string; futurePerson?: unknown }[]; emergencyContacts: { name: string; futureContact?: unknown }[] };
    return { top: r.futureTop, persons: r.persons.map((p) => [p.id, p.futurePerson]), contacts: r.emergencyContacts.map((c) => [c.name, c.futureContact]) };
  };

  it('[V1] saves them back unchanged when only a note is edited, also over a colleague\'s edit synced meanwhile', () => {
    const newer = fromNewerApp();
    const form = { ...toForm(newer), formBase: newer, note: '母が入院中' };
    const record = saved(form, newer);
    expect(record.note).toBe('母が入院中');
    expect(unknownOf(record)).toEqual(unknownOf(newer));
    const synced = { ...newer, phone: '03-9999-0000' };
    const over = saved(form, synced);
    expect([over.note, over.phone]).toEqual(['母が入院中', '03-9999-0000']);
    expect(unknownOf(over)).toEqual(unknownOf(newer));
  });

  it('[V1] keeps them with their own person and contact: a contact moved keeps its own, a person removed takes theirs, one added has none', () => {
    const newer = fromNewerApp();
    const opened = { ...toForm(newer), formBase: newer };
    const added = emptyPerson('p-new');
    const form: HouseholdForm = {
      ...opened,
      persons: [...removeAt(opened.persons, 0), { ...added, name: '山田 三郎' }],
      emergencyContacts: moveItem(opened.emergencyContacts, 0, 1),
    };
    const record = saved(form, newer);
    const [first, second] = newer.persons;
    expect(unknownOf(record)).toEqual({
      top: { plan: 'b' },
      persons: [
        [second!.id, '音に敏感'],
        ['p-new', undefined],
      ],
      contacts: [
        ['山田 二郎', undefined],
        ['山田 一郎', { line: 'yamada' }],
      ],
    });
    expect(record.persons.some((p) => p.id === first!.id)).toBe(false);
  });
});
