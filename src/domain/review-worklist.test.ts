import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../test/factories/household';
import type { Household, HouseholdReview } from './household';
import { summarizeHousehold } from './household-summary';
import { MAX_RECORD_BYTES, recordBytes } from './record-limits';
import { addReview, groupWorklist, ownedBy, reviewWorklist } from './review-worklist';

// Hand-worked against a 12-month interval: today 2026-12-03 (Japan), the window ends 2027-01-02
// (December has 31 days: 3 + 30 = 33 → 2 January).
const TODAY = '2026-12-03';
const consent = (date: string) => ({ date, consentedBy: '山田 一郎', scope: '拠点の短期入所事業所' });
const review = (reviewedOn: string, reviewedBy: string, recordedAt = `${reviewedOn}T01:00:00.000Z`): HouseholdReview => ({
  id: `rv-${reviewedOn}-${reviewedBy}`,
  reviewedOn,
  reviewedBy,
  reviewedByUserId: '',
  note: '',
  recordedAt,
});
const reviewed = (id: string, lastReviewedOn: string | null, extra: Partial<Household> = {}) =>
  createHousehold({ id, consent: consent('2020-04-01'), lastReviewedOn, ...extra });
const ids = (hs: readonly Household[]) => reviewWorklist(hs, TODAY, 12).map((i) => i.household.id);

describe('reviewWorklist: which households are listed (issue 15 point 3)', () => {
  it('lists a household due today as 本日, with 0 days left', () => {
    const [item] = reviewWorklist([reviewed('h-today', '2025-12-03')], TODAY, 12);
    expect(item).toMatchObject({ dueOn: '2026-12-03', urgency: 'today', daysLeft: 0, lastReviewedOn: '2025-12-03' });
  });

  it('lists a household due in 30 days (2027-01-02) and leaves out one due in 31 days (2027-01-03)', () => {
    const items = reviewWorklist([reviewed('h-30', '2026-01-02'), reviewed('h-31', '2026-01-03')], TODAY, 12);
    expect(items.map((i) => [i.household.id, i.dueOn, i.urgency, i.daysLeft])).toEqual([['h-30', '2027-01-02', 'soon', 30]]);
  });

  it('lists an overdue household first, with the days past as a negative count', () => {
    const items = reviewWorklist([reviewed('h-soon', '2025-12-20'), reviewed('h-late', '2025-11-01')], TODAY, 12);
    // 2026-11-01 → 2026-12-03: 29 days to 30 November, then 3 more.
    expect(items.map((i) => [i.household.id, i.urgency, i.daysLeft])).toEqual([
      ['h-late', 'overdue', -32],
      ['h-soon', 'soon', 17],
    ]);
  });

  it('counts a registered household that was never reviewed from its 同意日, and names no reviewer', () => {
    const h = createHousehold({ id: 'h-new', consent: consent('2025-12-10'), lastReviewedOn: null });
    expect(reviewWorklist([h], TODAY, 12)).toMatchObject([{ dueOn: '2026-12-10', daysLeft: 7, lastReviewedOn: null, lastReviewedBy: null }]);
  });

  it('leaves out a draft with no review date and no 同意日, and a withdrawn household however old', () => {
    const draft = createHousehold({ id: 'h-draft', consent: null, lastReviewedOn: null });
    const withdrawn = reviewed('h-gone', '2020-01-01', { withdrawal: { date: '2026-01-01', reason: '施設入所' } });
    expect(ids([draft, withdrawn])).toEqual([]);
  });

  it('counts from the latest recorded review and names its reviewer, over an older typed 最終見直し日', () => {
    const h = reviewed('h-rv', '2025-06-01', { reviews: [review('2025-12-20', '小野 恵美')] });
    expect(reviewWorklist([h], TODAY, 12)).toMatchObject([{ dueOn: '2026-12-20', lastReviewedOn: '2025-12-20', lastReviewedBy: '小野 恵美' }]);
  });

  it('reads the same from a summary (the list snapshot) as from the full record', () => {
    const h = reviewed('h-sum', '2025-06-01', { reviews: [review('2025-12-20', '小野 恵美')] });
    const [fromSummary] = reviewWorklist([summarizeHousehold(h)], TODAY, 12);
    expect(fromSummary).toMatchObject({ dueOn: '2026-12-20', lastReviewedOn: '2025-12-20', lastReviewedBy: '小野 恵美' });
  });
});

describe('reviewWorklist: per case worker and per office', () => {
  const a = reviewed('h-a', '2025-11-01', { caseWorker: '小野 恵美', registeringOffice: '相談支援事業所 かもめ' });
  const b = reviewed('h-b', '2025-12-10', { caseWorker: '田中 進', registeringOffice: '相談支援事業所 なぎさ' });
  const c = reviewed('h-c', '2025-12-20', { caseWorker: '小野　恵美', registeringOffice: '相談支援事業所 かもめ' });

  it("a case worker's own list holds only the households they are 担当 of (spaces in the name do not matter)", () => {
    const mine = ownedBy(reviewWorklist([a, b, c], TODAY, 12), { name: '小野恵美' });
    expect(mine.map((i) => i.household.id)).toEqual(['h-a', 'h-c']);
  });

  it("takes a household by its 担当's hub user id when both are known, by name otherwise", () => {
    const byId = reviewed('h-id', '2025-11-01', { caseWorker: '小野 恵美', caseWorkerUserId: 'hub-ono' });
    const otherId = reviewed('h-other', '2025-11-01', { caseWorker: 'おの', caseWorkerUserId: 'hub-other' });
    const typed = reviewed('h-typed', '2025-11-01', { caseWorker: 'おの' });
    // picked on this phone before it joined a hub: its 担当 holds the phone's user id
    const before = reviewed('h-before', '2025-11-01', { caseWorker: 'おの', caseWorkerUserId: 'device-ono' });
    const items = reviewWorklist([byId, otherId, typed, before].map(summarizeHousehold), TODAY, 12);
    const hubIds = new Set(['hub-ono', 'hub-other']);
    const me = { name: 'おの', hubUserId: 'hub-ono', deviceUserId: 'device-ono', isHubUser: (id: string) => hubIds.has(id) };
    expect(ownedBy(items, me).map((i) => i.household.id).sort()).toEqual(['h-before', 'h-id', 'h-typed']);
    // not signed in to the hub: the name decides where the id is not this phone's user
    expect(ownedBy(items, { name: 'おの' }).map((i) => i.household.id).sort()).toEqual(['h-before', 'h-other', 'h-typed']);
  });

  it("an office's list groups by 事業所, each group most overdue first", () => {
    const groups = groupWorklist(reviewWorklist([c, b, a], TODAY, 12), (h) => h.registeringOffice ?? '');
    expect(groups.map((g) => [g.key, g.items.map((i) => i.household.id)])).toEqual([
      ['相談支援事業所 かもめ', ['h-a', 'h-c']],
      ['相談支援事業所 なぎさ', ['h-b']],
    ]);
  });
});

describe('addReview (「見直しを記録」)', () => {
  const input = { id: 'rv-1', reviewedOn: TODAY, reviewedBy: '小野 恵美', reviewedByUserId: 'u-1', note: '服薬が変わった' };
  const NOW = '2026-12-03T05:00:00.000Z';

  it('appends the review (the earlier ones stay), and the household leaves the worklist for 12 months', () => {
    const h = reviewed('h-1', '2025-11-01', { reviews: [review('2025-11-01', '田中 進')] });
    const result = addReview(h, input, TODAY, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.household.reviews.map((r) => [r.reviewedOn, r.reviewedBy, r.note])).toEqual([
      ['2025-11-01', '田中 進', ''],
      ['2026-12-03', '小野 恵美', '服薬が変わった'],
    ]);
    expect(result.household.updatedAt).toBe(NOW);
    expect(reviewWorklist([result.household], TODAY, 12)).toEqual([]);
    expect(reviewWorklist([result.household], '2027-11-03', 12).map((i) => i.dueOn)).toEqual(['2027-12-03']);
  });

  it('refuses a missing, impossible or future 見直し日, naming the field, and changes nothing', () => {
    const h = reviewed('h-2', '2025-11-01');
    expect(addReview(h, { ...input, reviewedOn: '' }, TODAY, NOW)).toEqual({ ok: false, errors: [{ path: 'reviewedOn', message: '見直し日を入力してください' }] });
    expect(addReview(h, { ...input, reviewedOn: '2026-02-30' }, TODAY, NOW)).toMatchObject({ ok: false, errors: [{ path: 'reviewedOn' }] });
    expect(addReview(h, { ...input, reviewedOn: '2026-12-04' }, TODAY, NOW)).toEqual({
      ok: false,
      errors: [{ path: 'reviewedOn', message: '見直し日が今日より後になっています' }],
    });
    expect(h.reviews).toEqual([]);
  });

  it("refuses a review whose note takes the record over the hub's bound, saying so", () => {
    const h = reviewed('h-4', '2025-11-01');
    const room = MAX_RECORD_BYTES - recordBytes(h);
    const result = addReview(h, { ...input, note: 'a'.repeat(room) }, TODAY, NOW);
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'note', message: expect.stringMatching(/^記録が大きすぎて保存できません（129 KB、上限 128 KB）/) }] });
    expect(addReview(h, { ...input, note: 'a'.repeat(room - 400) }, TODAY, NOW).ok).toBe(true);
    // a household over the bound already: shortened in its form, not at the note
    const over = { ...h, note: 'a'.repeat(room + 10) };
    expect(addReview(over, { ...input, note: '' }, TODAY, NOW)).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringMatching(/世帯の「編集」で長い文章を短くしてから、見直しを記録してください。$/) }] });
  });

  it('refuses a withdrawn household', () => {
    const h = reviewed('h-3', '2025-11-01', { withdrawal: { date: '2026-01-01', reason: '施設入所' } });
    expect(addReview(h, input, TODAY, NOW)).toEqual({ ok: false, errors: [{ path: '', message: '登録廃止された世帯は見直しできません' }] });
  });
});
