import { describe, expect, it } from 'vitest';
import { createOffice } from '../../../test/factories/office';
import { readOffice } from '../../domain/office';
import { formOf, officeFromForm, periodQuestions, validateOfficeForm } from './office-form';
import { OT } from './offices-text';

const NOW = '2026-12-01T00:00:00.000Z';
const newId = () => 'office-new';

describe('office form: 加算の届出日', () => {
  it('refuses a 届出日 that is not a day (a phone without a date picker), beside its period', () => {
    const form = formOf(createOffice());
    expect(validateOfficeForm({ ...form, notified: ['2024-02-30'] })).toEqual({ 'notified.0': OT.errNotified });
    const adding = { ...form, adding: { from: '2027-04-01', to: '', note: '', notifiedOn: '2027/03/20' }, ending: { to: '2026-09-30', note: '' } };
    expect(validateOfficeForm(adding)).toEqual({ addingNotifiedOn: OT.errNotified });
    expect(officeFromForm(adding, createOffice(), NOW, newId)).toBeNull();
  });

  it('takes a cleared 届出日 off its period, and leaves a period untouched when its 届出日 is not changed', () => {
    const office = createOffice({ hubPeriods: [{ from: '2024-04-01', to: null, note: '', notifiedOn: '2024-03-12' }] });
    const form = formOf(office);
    expect(officeFromForm(form, office, NOW, newId)?.hubPeriods).toEqual(office.hubPeriods);
    expect(officeFromForm({ ...form, notified: [''] }, office, NOW, newId)?.hubPeriods).toEqual([{ from: '2024-04-01', to: null, note: '' }]);
    expect(officeFromForm({ ...form, notified: ['2024-03-20'] }, office, NOW, newId)?.hubPeriods[0]?.notifiedOn).toBe('2024-03-20');
  });
});

describe('office form: 指定', () => {
  it('saves no designations while none is ticked on an office that had none (not recorded), and both as ticked', () => {
    const office = createOffice();
    const untouched = officeFromForm(formOf(office), office, NOW, newId)!;
    expect('designations' in untouched).toBe(false);
    const ticked = officeFromForm({ ...formOf(office), designations: { specifiedConsultation: false, childConsultation: true } }, office, NOW, newId);
    expect(ticked?.designations).toEqual({ specifiedConsultation: false, childConsultation: true });
  });
});

describe('office form: a record written by a newer app', () => {
  it('keeps the fields this app does not know, on the office, in 一体的運営 and in a period it ends', () => {
    // as the vault hands over a record a newer app synced here (readOffice takes records of any age)
    const newer = readOffice({
      ...createOffice(),
      hubPeriods: [{ from: '2024-04-01', to: null, note: '', cityNotice: '障福第12号' }],
      oneBody: { settlement: false, independentLiving: false, transition: true },
      hubFunctionsHeld: ['相談'],
    });
    const form = formOf(newer);
    const saved = officeFromForm(
      { ...form, name: '相談支援 みなと', oneBody: { settlement: true, independentLiving: false }, ending: { to: '2026-09-30', note: '' }, notified: ['2024-03-12'] },
      newer,
      NOW,
      newId,
    );
    expect(saved).toMatchObject({
      name: '相談支援 みなと',
      hubFunctionsHeld: ['相談'],
      oneBody: { settlement: true, independentLiving: false, transition: true },
      hubPeriods: [{ from: '2024-04-01', to: '2026-09-30', notifiedOn: '2024-03-12', cityNotice: '障福第12号' }],
    });
  });
});

describe('office form: what the save asks before a period is saved for good', () => {
  const TODAY = '2026-12-07';
  it('asks at every ending, and names a date more than 31 days off: any in the future, an end in the past', () => {
    const form = formOf(createOffice());
    expect(periodQuestions(form, TODAY)).toEqual([]);
    expect(periodQuestions({ ...form, ending: { to: '2026-11-06', note: '' } }, TODAY)).toEqual([OT.askEnd('2026年11月6日')]);
    expect(periodQuestions({ ...form, ending: { to: '2026-11-05', note: '' } }, TODAY)).toEqual([OT.askEnd('2026年11月5日'), OT.askPast(OT.endTo, '2026年11月5日')]);
    expect(periodQuestions({ ...form, ending: { to: '2027-01-08', note: '' } }, TODAY)).toEqual([OT.askEnd('2027年1月8日'), OT.askFuture(OT.endTo, '2027年1月8日')]);
    // a start long past is a period recorded when the app was set up: not asked
    expect(periodQuestions({ ...form, adding: { from: '2024-04-01', to: '2025-03-31', note: '', notifiedOn: '2024-03-01' } }, TODAY)).toEqual([OT.askPast(OT.addToShort, '2025年3月31日')]);
    expect(periodQuestions({ ...form, adding: { from: '2027-01-08', to: '', note: '', notifiedOn: '2027-01-07' } }, TODAY)).toEqual([OT.askFuture(OT.addFrom, '2027年1月8日')]);
  });
});
