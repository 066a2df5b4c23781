import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';
import type { Household } from '../domain/household';
import { validateHousehold } from '../domain/household-schema';
import { equal, mergeFormEdit, mergeRecord, type Json } from './merge';

type Obj = { readonly [key: string]: Json };
const household = (overrides: Record<string, unknown> = {}) => JSON.parse(JSON.stringify(createHousehold(overrides))) as Obj;

describe('[S14] field-by-field merge', () => {
  it('takes fields each side changed when they changed different fields', () => {
    const base = household({ id: 'h1', phone: '047-111-1111', address: '松戸市本町1-1' });
    const held = { ...base, phone: '047-222-2222' };
    const incoming = { ...base, address: '松戸市本町2-2' };
    const { merged, conflicts } = mergeRecord(base, held, incoming);
    expect(conflicts).toEqual([]);
    expect(merged['phone']).toBe('047-222-2222');
    expect(merged['address']).toBe('松戸市本町2-2');
  });

  it('keeps the held value and reports the other when both changed the same field', () => {
    const base = household({ id: 'h1', phone: '047-111-1111' });
    const { merged, conflicts } = mergeRecord(base, { ...base, phone: '047-222-2222' }, { ...base, phone: '090-3333-3333' });
    expect(merged['phone']).toBe('047-222-2222');
    expect(conflicts).toEqual([{ path: 'phone', kept: '047-222-2222', lost: '090-3333-3333' }]);
  });

  it('does not call it a conflict when both made the same change, or when both touched updatedAt', () => {
    const base = household({ id: 'h1', phone: '047-111-1111', updatedAt: '2026-11-01T00:00:00.000Z' });
    const held = { ...base, phone: '047-999-9999', updatedAt: '2026-11-02T00:00:00.000Z' };
    const incoming = { ...base, phone: '047-999-9999', updatedAt: '2026-11-03T00:00:00.000Z' };
    const { merged, conflicts } = mergeRecord(base, held, incoming);
    expect(conflicts).toEqual([]);
    expect(merged['updatedAt']).toBe('2026-11-03T00:00:00.000Z');
  });

  it('merges edits to different persons of one household, and names the person on a conflict', () => {
    const base = household({ id: 'h1' });
    const persons = base['persons'] as readonly Obj[];
    const p = persons[0]!;
    const held = { ...base, persons: [{ ...p, medication: 'デパケン 朝夕' }, ...persons.slice(1)] };
    const incoming = { ...base, persons: [{ ...p, allergies: 'ペニシリン' }, ...persons.slice(1)] };
    const clean = mergeRecord(base, held, incoming);
    expect(clean.conflicts).toEqual([]);
    const merged = (clean.merged['persons'] as Obj[])[0]!;
    expect([merged['medication'], merged['allergies']]).toEqual(['デパケン 朝夕', 'ペニシリン']);

    const clash = mergeRecord(base, held, { ...base, persons: [{ ...p, medication: 'リスパダール' }, ...persons.slice(1)] });
    expect(clash.conflicts).toEqual([{ path: `persons[${String(p['id'])}].medication`, kept: 'デパケン 朝夕', lost: 'リスパダール' }]);
  });

  it('keeps a contact one side added and drops one the other side removed', () => {
    const a = { id: 'c1', name: '叔母', phone: '1' };
    const b = { id: 'c2', name: '兄', phone: '2' };
    const c = { id: 'c3', name: '隣人', phone: '3' };
    const base = { emergencyContacts: [a, b] };
    const { merged, conflicts } = mergeRecord(base, { emergencyContacts: [a, b, c] }, { emergencyContacts: [b] });
    expect(conflicts).toEqual([]);
    expect(merged['emergencyContacts']).toEqual([b, c]);
  });

  const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
  const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'persons', 'phone'), json, { maxKeys: 5 });

  it('property: an edit on an unchanged record is taken whole; no edit leaves the held record', () => {
    fc.assert(
      fc.property(record, record, (base, other) => {
        const taken = mergeRecord(base, base, other);
        const kept = mergeRecord(base, other, base);
        return equal(taken.merged, other) && taken.conflicts.length === 0 && equal(kept.merged, other) && kept.conflicts.length === 0;
      }),
    );
  });

  it('property: the same edit on both sides never conflicts', () => {
    fc.assert(fc.property(record, record, (base, edit) => mergeRecord(base, edit, edit).conflicts.length === 0));
  });

  it("property: a field only one side changed has that side's value", () => {
    fc.assert(
      fc.property(record, record, record, (base, held, incoming) => {
        const { merged } = mergeRecord(base, held, incoming);
        return [...new Set([...Object.keys(base), ...Object.keys(held), ...Object.keys(incoming)])].every(
          (k) => (!equal(held[k], base[k]) || equal(merged[k], incoming[k])) && (!equal(incoming[k], base[k]) || equal(merged[k], held[k])),
        );
      }),
    );
  });
});

describe('[S14] two reviews of one household (issue 15 point 3)', () => {
  const rv = (id: string, reviewedOn: string, reviewedBy: string) => ({ id, reviewedOn, reviewedBy, reviewedByUserId: '', note: '', recordedAt: `${reviewedOn}T01:00:00.000Z` });
  it('keeps both when two devices each record a review on the same base: reviews is a list merged by id', () => {
    const base = household({ id: 'h1', reviews: [] });
    const held = { ...base, reviews: [rv('rv-a', '2026-12-01', '小野 恵美')] } as Obj;
    const incoming = { ...base, reviews: [rv('rv-b', '2026-12-02', '田中 進')] } as Obj;
    const { merged, conflicts } = mergeRecord(base, held, incoming);
    expect(conflicts).toEqual([]);
    expect((merged['reviews'] as Obj[]).map((r) => r['reviewedBy'])).toEqual(['小野 恵美', '田中 進']);
  });

  it('keeps a bed report whole: two reports at once keep the later one, never one\'s beds with the other\'s time', () => {
    const base = { id: 'f', vacancy: { beds: 1, asOf: '2026-11-24T00:00:00.000Z', reportedBy: 'A' } };
    const held = { id: 'f', vacancy: { beds: 2, asOf: '2026-11-24T03:00:00.000Z', reportedBy: '連携 田中', from: '2026-11-28', until: '2026-11-29' } };
    const incoming = { id: 'f', vacancy: { beds: 0, asOf: '2026-11-24T02:00:00.000Z', reportedBy: '佐藤' } };
    // the other report goes to the history, where the match still reads it on its own nights
    expect(mergeRecord(base, held, incoming)).toEqual({ merged: { ...held, vacancyHistory: [incoming.vacancy] }, conflicts: [] });
    expect(mergeRecord(base, incoming, held)).toEqual({ merged: { ...held, vacancyHistory: [incoming.vacancy] }, conflicts: [] });
  });

  it("keeps a facility's 休止・廃止 whole: changed on both sides, the held one stays and the other is a conflict, never a 廃止 with a 休止's last day", () => {
    const base = { id: 'f', closure: { kind: 'suspended', from: '2026-12-10', until: '2026-12-20', note: '' } };
    const held = { id: 'f', closure: { kind: 'closed', from: '2026-12-10', until: null, note: '廃止届' } };
    const incoming = { id: 'f', closure: { kind: 'suspended', from: '2026-12-10', until: '2026-12-27', note: '' } };
    expect(mergeRecord(base, held, incoming)).toEqual({ merged: held, conflicts: [{ path: 'closure', kept: held.closure, lost: incoming.closure }] });
    // one side alone changed it: that side's, whole
    expect(mergeRecord(base, base, incoming).merged).toEqual(incoming);
  });

  it("keeps a trial stay's 開始日 and 終了日 as one period: one phone's 開始日 with another's 終了日 never makes 11/5〜11/3", () => {
    const base = JSON.parse(JSON.stringify(createTrialStay({ from: '2026-11-01', to: '2026-11-07' }))) as Obj;
    const held = { ...base, from: '2026-11-05' };
    const incoming = { ...base, to: '2026-11-03', nextTime: '夜間は吸引が必要' };
    const { merged, conflicts } = mergeRecord(base, held, incoming);
    expect([merged['from'], merged['to'], merged['nextTime']]).toEqual(['2026-11-05', '2026-11-07', '夜間は吸引が必要']);
    expect(conflicts).toEqual([
      { path: 'from', kept: '2026-11-05', lost: '2026-11-01' },
      { path: 'to', kept: '2026-11-07', lost: '2026-11-03' },
    ]);
    // one side alone changed the period: that side's, whole, and no conflict
    expect(mergeRecord(base, { ...base, purpose: '短期入所の練習' }, incoming)).toEqual({ merged: { ...incoming, purpose: '短期入所の練習' }, conflicts: [] });
    // both made the same correction: no conflict
    expect(mergeRecord(base, { ...base, to: '2026-11-03' }, incoming).conflicts).toEqual([]);
  });

  it("keeps a 機能強化加算 coordinator's months in post as one period", () => {
    const base = { id: 'c1', name: '小野 恵美', fromMonth: '2026-04', toMonth: '2026-09' };
    const { merged, conflicts } = mergeRecord(base, { ...base, fromMonth: '2026-08' }, { ...base, toMonth: '2026-06' });
    expect([merged['fromMonth'], merged['toMonth']]).toEqual(['2026-08', '2026-09']);
    expect(conflicts.map((c) => c.path)).toEqual(['fromMonth', 'toMonth']);
  });

  it("keeps the form's period whole when a colleague changed the other date meanwhile (mergeFormEdit)", () => {
    const base = { from: '2026-11-01', to: '2026-11-07', nextTime: '' };
    const mine = { ...base, from: '2026-11-05' };
    const held = { ...base, to: '2026-11-03', nextTime: '夜間は吸引が必要' };
    expect(mergeFormEdit(base, mine, held)).toEqual({ from: '2026-11-05', to: '2026-11-07', nextTime: '夜間は吸引が必要' });
  });

  it("keeps the report that lost to a later one in the history, with what each side moved there, and no conflict", () => {
    const v = (beds: number, hour: number, dated = false) => ({ beds, asOf: `2026-11-24T0${hour}:00:00.000Z`, reportedBy: '田中', ...(dated ? { from: '2026-11-28', until: '2026-11-29' } : {}) });
    const base = { id: 'f', vacancy: v(1, 0), vacancyHistory: [v(3, 0)] };
    // this phone reported twice (tonight's 満床, then the weekend), the other once
    const held = { id: 'f', vacancy: v(2, 3, true), vacancyHistory: [v(0, 2), v(1, 0), v(3, 0)] };
    const incoming = { id: 'f', vacancy: v(4, 1), vacancyHistory: [v(1, 0), v(3, 0)] };
    const { merged, conflicts } = mergeRecord(base, held, incoming);
    expect(conflicts).toEqual([]);
    expect(merged['vacancy']).toEqual(held.vacancy);
    expect(merged['vacancyHistory']).toEqual([v(0, 2), v(4, 1), v(1, 0), v(3, 0)]);
    // one side alone reporting moves the report as it made it
    expect(mergeRecord(base, base, held).merged).toEqual(held);
  });
});

describe('a form saved over a colleague\'s change to a list without ids (mergeFormEdit)', () => {
  const c = (relation: string, phone: string) => ({ name: relation, relation, phones: [phone], note: '' });
  it('keeps the colleague\'s corrected contact in its place and adds the form\'s new one', () => {
    const base = household({ id: 'h1', emergencyContacts: [c('母', '090-1111-1111'), c('祖母', '047-000-0000')] });
    const form = { ...base, emergencyContacts: [c('母', '090-1111-1111'), c('祖母', '047-000-0000'), c('叔母', '080-3333-3333')] };
    const held = { ...base, emergencyContacts: [c('母', '090-2222-2222'), c('祖母', '047-000-0000')] };
    expect((mergeFormEdit(base, form, held)['emergencyContacts'] as Obj[]).map((x) => x['phones'])).toEqual([['090-2222-2222'], ['047-000-0000'], ['080-3333-3333']]);
  });

  it('keeps both versions of a contact both sides changed, and drops one the form removed', () => {
    const base = household({ id: 'h1', emergencyContacts: [c('母', '090-1111-1111'), c('祖母', '047-000-0000')] });
    const form = { ...base, emergencyContacts: [c('母', '090-3333-3333')] };
    const held = { ...base, emergencyContacts: [c('母', '090-2222-2222'), c('祖母', '047-000-0000')] };
    expect((mergeFormEdit(base, form, held)['emergencyContacts'] as Obj[]).map((x) => x['phones'])).toEqual([['090-3333-3333'], ['090-2222-2222']]);
  });

  it('leaves the hub\'s merge as it was: such a list both sides changed is a conflict there', () => {
    const base = household({ id: 'h1', emergencyContacts: [c('母', '090-1111-1111')] });
    const held = { ...base, emergencyContacts: [c('母', '090-2222-2222')] };
    const incoming = { ...base, emergencyContacts: [c('母', '090-1111-1111'), c('叔母', '080-3333-3333')] };
    expect(mergeRecord(base, held, incoming).conflicts.map((x) => x.path)).toEqual(['emergencyContacts']);
  });
});

describe('[V1] the hub merges an edit from an app that does not know every field', () => {
  it('[V1] keeps what a newer app wrote through the form of this app and the three-way merge', () => {
    const h = createHousehold();
    const stored = household({
      futureTop: { plan: 'b' },
      persons: [{ ...createPerson(), futurePerson: '左側から声をかける' }],
      emergencyContacts: [{ ...h.emergencyContacts[0]!, futureContact: { line: 'yamada' } }],
    } as unknown as Partial<Household>);
    // This app's form saves the record it opened with a note edited (household-form.tsx: validateHousehold).
    const checked = validateHousehold({ ...stored, note: '母が入院中' });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const incoming = JSON.parse(JSON.stringify(checked.value)) as Obj;
    // Meanwhile a colleague changed the phone; the hub merges the edit against the version it was made on.
    const { merged, conflicts } = mergeRecord(stored, { ...stored, phone: '03-9999-0000' }, incoming);
    expect(conflicts).toEqual([]);
    expect([merged['note'], merged['phone'], merged['futureTop']]).toEqual(['母が入院中', '03-9999-0000', { plan: 'b' }]);
    expect((merged['persons'] as Obj[])[0]!['futurePerson']).toBe('左側から声をかける');
    expect((merged['emergencyContacts'] as Obj[])[0]!['futureContact']).toEqual({ line: 'yamada' });
  });
});
