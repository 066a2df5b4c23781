/**
 * The first screen at night: one search box that searches as you type (no debounce), at most a page of rows.
 * Kept cheap per keystroke: the furigana sort is memoised on the households Map, search runs on the
 * in-memory index, and rows are memoised with stable keys.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { noteCarriedName } from '../../state/carried-name';
import type { HouseholdSummary } from '../../domain/household-summary';
import { formatJapanDate, isValidIsoDate } from '../../domain/japan-time';
import { isNumberQuery, normalizeKana, normalizePhone, queryText } from '../../domain/normalize';
import { idsInNameOrder, pastedPhoneDigits, queryWordSpellings, searchHouseholds, type HouseholdIndex, type SearchHit } from '../../domain/search';
import { isPlainEnter } from '../../ui/enter-key';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';
import { Notice, Page } from '../../ui/layout';
import { reviewWorklist } from '../../domain/review-worklist';
import { DemoControls } from './demo-controls';
import { RT } from './review-text';
import { HouseholdRow } from './household-row';
import { T } from './text';
import { navigate, paths } from './use-route';
import { useJapanToday } from '../../state/use-minute-clock';
import { useSetAsideHouseholdsNotHeld } from '../../state/use-set-aside';
import { useNewHouseholdDraft } from './draft-key';
import './households.css';

/** One screen and a half on a phone: more rows only cost time per keystroke; 「さらに表示」 gives the rest. */
const PAGE = 20;
/** Enough hits to count honestly ("N件") without sorting the whole index for a one-letter query. */
const SEARCH_LIMIT = 500;
/** Latin letters after kana or kanji at the end of a query: a romaji IME's kana still being typed (「やまd」). */
const ROMAJI_IN_PROGRESS = /(?<=[^\p{ASCII}])[a-z']{1,3}$/iu;

interface Row {
  readonly household: HouseholdSummary;
  readonly personId: string | null;
  readonly matched: string | null;
}

/** Households by id, in the given order (ids no longer held are skipped). */
function inOrder(ids: readonly string[], households: ReadonlyMap<string, HouseholdSummary>): HouseholdSummary[] {
  const out: HouseholdSummary[] = [];
  for (const id of ids) {
    const h = households.get(id);
    if (h) out.push(h);
  }
  return out;
}

/** All households in furigana order, from the name ranks the search index already holds. */
function sortByFurigana(index: HouseholdIndex, households: ReadonlyMap<string, HouseholdSummary>): HouseholdSummary[] {
  return inOrder(idsInNameOrder(index), households);
}

/**
 * For each row with a person whose name (as the search reads it: 髙橋 is 高橋) a person of another
 * row has too, that person's 生年月日, by household id. Only then: on a 360 px row every row's date
 * would wrap the line under the names for nothing, and the age beside the name already tells most
 * people apart; two 佐藤 陽太 of one age it does not.
 */
function sameNameBirthDates(rows: readonly Row[]): Map<string, string> {
  const householdsOf = new Map<string, Set<string>>();
  for (const { household } of rows) {
    for (const p of household.persons) {
      const key = normalizeKana(p.name);
      if (key === '') continue;
      const ids = householdsOf.get(key) ?? new Set<string>();
      ids.add(household.id);
      householdsOf.set(key, ids);
    }
  }
  const born = new Map<string, string>();
  for (const { household } of rows) {
    const { persons } = household;
    const dates = persons.flatMap((p) => {
      if (p.birthDate === null || !isValidIsoDate(p.birthDate) || (householdsOf.get(normalizeKana(p.name))?.size ?? 0) < 2) return [];
      const date = formatJapanDate(p.birthDate);
      return [persons.length > 1 ? T.personBornOn(p.name, date) : T.bornOn(date)];
    });
    if (dates.length > 0) born.set(household.id, dates.join('・'));
  }
  return born;
}

/** What the query hit besides a name, so the coordinator can confirm it is the caller's household. */
function matchedLabel(hit: SearchHit, h: HouseholdSummary, query: string, words: () => readonly (readonly string[])[]): string | null {
  // not the name as typed: the coordinator reads the name back to the caller before going on
  if (hit.near) return T.matchedNear;
  if (hit.matchedOn === 'phone') {
    // the digits the search read: the whole query's, or a pasted number's (「090-1234-5678 22時以降」)
    const q = isNumberQuery(queryText(query)) ? normalizePhone(query) : pastedPhoneDigits(queryText(query));
    const phones: [string, string][] = [
      [T.householdPhone, h.phone],
      ...h.emergencyContacts.flatMap((c) => c.phones.map((ph): [string, string] => [c.relation || c.name, ph])),
      [h.caseWorker || T.caseWorkerTitle, h.caseWorkerPhone],
    ];
    const found = phones.find(([, ph]) => ph && normalizePhone(ph).includes(q));
    return found ? T.matchedPhone(`${found[0]} ${found[1]}`) : null;
  }
  if (hit.matchedOn === 'recipient') {
    const p = h.persons.find((x) => x.id === hit.personId);
    return p?.recipientNumber ? T.matchedRecipient(p.recipientNumber) : null;
  }
  if (hit.matchedOn === 'case-worker') return h.caseWorker ? T.matchedCaseWorker(h.caseWorker) : null;
  if (hit.matchedOn === 'contact') {
    const spelled = words();
    const named = (text: string | undefined) => {
      if (text === undefined) return false;
      const key = normalizeKana(text);
      return spelled.every((spellings) => spellings.some((w) => key.includes(w)));
    };
    // by name, or by a contact's reading (「たなか」 finds 田中 由美子)
    const c = h.emergencyContacts.find((x) => named(x.name) || named(x.furigana)) ?? h.family.find((x) => named(x.name));
    return c ? T.matchedContact(c.name, c.relation) : null;
  }
  return null;
}

export function HouseholdList() {
  // The list and the search read summaries: right after unlock they come from the snapshot.
  const households = useApp((s) => s.summaries);
  const index = useApp((s) => s.index);
  const demoIds = useApp((s) => s.demoIds);
  const reviewMonths = useApp((s) => s.settings.reviewAfterMonths);
  const today = useJapanToday();
  const [query, setQuery] = useState('');
  // while the IME composes: 「やまd」 is a kana on its way, not a query (the search's romaji fallback)
  const [composing, setComposing] = useState(false);
  const [pages, setPages] = useState(1);
  // A new household's interview left unsaved (a first visit of two): 「登録の続き」 says it is there.
  const register = useNewHouseholdDraft() ? T.registerContinue : T.register;
  // [R3] Households received that this app cannot read, none held here: no search finds them.
  const setAsideNotHeld = useSetAsideHouseholdsNotHeld();

  // Just after unlock the index is built after the first paint; the snapshot's order shows the list meanwhile.
  const pendingOrder = useApp((s) => s.pendingOrder);
  const sorted = useMemo(
    () => (pendingOrder === null ? sortByFurigana(index, households) : inOrder(pendingOrder, households)),
    [pendingOrder, index, households],
  );
  // Not recomputed per keystroke: only when the households or the day change.
  const dueForReview = useMemo(() => reviewWorklist(households.values(), today, reviewMonths).length, [households, today, reviewMonths]);
  const q = query.trim();
  const searchPending = q !== '' && pendingOrder !== null;
  // The name searched for goes on into the unknown caller's case (a phone number or 受給者証番号 is no
  // name), in memory: in the address it stayed in the browser's history.
  const startUnknown = paths.startUnknown();
  const carryName = () => noteCarriedName(isNumberQuery(queryText(q)) ? '' : q);

  const { rows, total, more } = useMemo(() => {
    if (searchPending) return { rows: [], total: 0, more: false };
    if (!q) {
      const shown: Row[] = sorted.slice(0, PAGE * pages).map((household) => ({ household, personId: null, matched: null }));
      return { rows: shown, total: sorted.length, more: false };
    }
    let searched = q;
    let hits = searchHouseholds(index, searched, SEARCH_LIMIT);
    // Typed in romaji, the field holds 「やまd」 on the way to 「やまだ」: searched as it stands it found
    // no one at every other key, and 「該当する世帯はありません」 blinked in and out. When nothing
    // matches while the IME composes, the letters still being turned into kana are left aside (a
    // query typed to the end, 「コーポA」, is searched as it is).
    if (hits.length === 0 && composing && ROMAJI_IN_PROGRESS.test(q)) {
      searched = q.replace(ROMAJI_IN_PROGRESS, '');
      hits = searchHouseholds(index, searched, SEARCH_LIMIT);
    }
    // every word of the query as the search took them (「田中 ゆみこ」, 「tanaka」 as たなか): worked out
    // once per query, for the rows found by a contact's name
    let spelled: readonly (readonly string[])[] | undefined;
    const words = () => (spelled ??= queryWordSpellings(searched.normalize('NFKC')));
    const shown: Row[] = [];
    for (const hit of hits.slice(0, PAGE * pages)) {
      const household = households.get(hit.householdId);
      if (household) shown.push({ household, personId: hit.personId, matched: matchedLabel(hit, household, searched, words) });
    }
    return { rows: shown, total: hits.length, more: hits.length >= SEARCH_LIMIT };
  }, [q, searchPending, pages, sorted, index, households, composing]);
  const born = useMemo(() => sameNameBirthDates(rows), [rows]);

  return (
    <Page
      title={T.listTitle}
      actions={
        households.size > 0 ? (
          <Button variant="primary" onClick={() => navigate(paths.new())}>
            {register}
          </Button>
        ) : undefined
      }
    >
      <div className="hh-search" role="search">
        <TextField
          label={T.searchLabel}
          type="search"
          inputMode="text"
          autoFocus
          autoComplete="off"
          enterKeyHint="search"
          placeholder={T.searchPlaceholder}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setPages(1);
          }}
          // The search runs as one types: the keyboard's 「検索」 key puts the keyboard away, so the
          // results it covered can be read (it did nothing). The IME's confirming Return is left alone.
          onKeyDown={(e) => {
            if (isPlainEnter(e)) e.currentTarget.blur();
          }}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={() => setComposing(false)}
        />
      </div>
      <div className="hh-countbar">
        <p className="hh-count" aria-live="polite" aria-atomic="true">
          {searchPending ? T.searchPreparing : T.count(total, more)}
        </p>
        {/* Beside the count, so the night's list is not pushed down. */}
        {dueForReview > 0 ? (
          <a className="hh-worklist-link" href={paths.reviews()}>
            {RT.worklistLink(dueForReview)}
          </a>
        ) : null}
      </div>
      {setAsideNotHeld > 0 ? <Notice kind="warn">{T.setAsideNotHeld(setAsideNotHeld)}</Notice> : null}

      {households.size === 0 ? (
        <div className="hh-empty">
          <Notice>
            <strong>{T.emptyTitle}</strong>
            <p>{T.emptyBody}</p>
          </Notice>
          <div className="hh-empty__actions">
            <Button variant="primary" onClick={() => navigate(paths.new())}>
              {register}
            </Button>
            <DemoControls demoCount={0} />
          </div>
        </div>
      ) : q && !searchPending && rows.length === 0 ? (
        <div className="hh-nomatch">
          <Notice>{T.noMatch}</Notice>
          <a className="btn btn--secondary btn--block" href={startUnknown} onClick={carryName}>
            {T.noMatchStartUnknown}
          </a>
          <p className="hh-nomatch__hint">{T.noMatchStartUnknownHint}</p>
        </div>
      ) : null}
      {/* Rendered even when empty, so the page's first list is always the results. */}
      <ul className="hh-list" aria-label={T.listTitle}>
        {rows.map((r) => (
          <HouseholdRow
            key={r.household.id}
            household={r.household}
            today={today}
            reviewMonths={reviewMonths}
            demo={demoIds.has(r.household.id)}
            matched={r.matched}
            matchedPersonId={r.personId}
            born={born.get(r.household.id) ?? null}
          />
        ))}
      </ul>
      {rows.length < total ? (
        <Button className="hh-more btn--block" onClick={() => setPages((n) => n + 1)}>
          {T.showMore}
        </Button>
      ) : null}
      {/* Found by a near spelling or a contact's name, the caller may still be no one registered: the way
          stays, after the rows (the night's list is not pushed down) and smaller than under 該当なし. */}
      {q && !searchPending && rows.length > 0 ? (
        <>
          <div className="hh-toolbar">
            <a className="btn btn--secondary" href={startUnknown} onClick={carryName}>
              {T.noMatchStartUnknown}
            </a>
          </div>
          <p className="hh-nomatch__hint">{T.noMatchStartUnknownHint}</p>
        </>
      ) : null}
      {demoIds.size > 0 ? (
        <div className="hh-toolbar">
          <DemoControls demoCount={demoIds.size} />
        </div>
      ) : null}
    </Page>
  );
}
