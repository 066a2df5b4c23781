import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../../test/factories/household';
import { validateHousehold } from '../../domain/household-schema';
import { fromDraft, fromForm, splitPhones, toForm } from './form-model';

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

  it('reads a draft kept before contacts had a reading with a blank one', () => {
    const form = toForm(createHousehold());
    const { furigana: _dropped, ...old } = form.emergencyContacts[0]!;
    expect(fromDraft({ ...form, emergencyContacts: [old as never] }).emergencyContacts[0]!.furigana).toBe('');
  });
});
