import { describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import type { Facility } from '../../domain/facility';
import { mergeFormEdit, mergeRecord, type Json } from '../../protocol/merge';
import { applyForm, toFormState, validateForm } from './form-model';

const NOW = '2026-05-01T09:00:00.000Z';
const formWith = (patch: Partial<ReturnType<typeof toFormState>>) => ({ ...toFormState(createFacility({ id: 'fac-1' }), '山田'), ...patch });

describe('the facility form model', () => {
  it('takes a 事業所番号 written with dashes, spaces or full-width digits, as the 受給者証番号 is taken, and saves its 10 digits', () => {
    for (const typed of ['12-3456-7890', '１２ー３４５６ー７８９０', '１２－３４５６－７８９０', '12 3456 7890', '12‐3456−7890', '1234567890']) {
      const form = formWith({ officeNumber: typed });
      expect(validateForm(form).officeNumber, typed).toBeUndefined();
      expect(applyForm(createFacility({ id: 'fac-1' }), form, NOW).officeNumber, typed).toBe('1234567890');
    }
  });

  it('still refuses a 事業所番号 of other than 10 digits, or with letters in it', () => {
    for (const typed of ['12-3456-789', '12-3456-78901', '12-3456-789O', '12/3456/7890']) {
      expect(validateForm(formWith({ officeNumber: typed })).officeNumber, typed).toBe('事業所番号は10桁の数字で入力してください');
    }
  });

  it('refuses 1000 空床 (the hub takes at most 999: a 1000 saved here held every later report of the facility), and still takes a 定員 of 1000', () => {
    expect(validateForm(formWith({ vacancyBeds: '1000' })).vacancyBeds).toBe('空床数は0〜999の整数で入力してください');
    expect(validateForm(formWith({ vacancyBeds: '１０００' })).vacancyBeds).toBe('空床数は0〜999の整数で入力してください');
    expect(validateForm(formWith({ vacancyBeds: '999' })).vacancyBeds).toBeUndefined();
    expect(validateForm(formWith({ capacity: '1000' })).capacity).toBeUndefined();
  });

  it('reads an e-mail address typed with the IME on (「info＠example．jp」) and saves it in half-width', () => {
    const form = formWith({ email: ' info＠example．jp ' });
    expect(validateForm(form).email).toBeUndefined();
    expect(applyForm(createFacility({ id: 'fac-1' }), form, NOW).email).toBe('info@example.jp');
    expect(validateForm(formWith({ email: 'info＠example' })).email).toBe('メールアドレスの形式を確認してください（例：tanki@example.jp）');
  });

  it('[V1] keeps what a newer app wrote in a 休止・廃止 when the form edits it, through the hub\'s merge, and drops it when the office runs again', () => {
    const closure = { kind: 'suspended' as const, from: '2026-04-01', until: '2026-06-30', note: '職員不足のため', newerNotice: { filedOn: '2026-03-20' } };
    const newer = createFacility({ id: 'fac-1', closure });
    const form = { ...toFormState(newer, '山田'), closureUntil: '2026-07-31', closureNote: '職員不足のため（延長）' };
    const saved = applyForm(newer, form, NOW);
    expect(saved.closure).toEqual({ ...closure, until: '2026-07-31', note: '職員不足のため（延長）' });
    // as the form saves it on the phone (over what the device holds now), and as the hub merges the push
    expect(mergeFormEdit(newer, saved, newer).closure).toEqual(saved.closure);
    const json = (f: Facility) => JSON.parse(JSON.stringify(f)) as Record<string, Json>;
    expect(mergeRecord(json(newer), json(newer), json(saved))).toEqual({ merged: json(saved), conflicts: [] });
    // 廃止 is the same statement, changed: what the newer app added to it stays; running again has none
    expect(applyForm(newer, { ...form, closureKind: 'closed' }, NOW).closure).toEqual({ ...closure, kind: 'closed', until: null, note: '職員不足のため（延長）' });
    expect(applyForm(newer, { ...form, closureKind: '' }, NOW).closure).toBeNull();
  });
});
