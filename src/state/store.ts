/**
 * The app's in-memory state: the unlocked vault session and the decrypted records.
 * Decrypted data lives only here, and only while unlocked; `lock()` drops all of it.
 */
import { create } from 'zustand';
import { readHousehold, type Household, type IsoInstant } from '../domain/household';
import { summarizeHousehold, type HouseholdSummary, type SummarySnapshot } from '../domain/household-summary';
import type { Facility } from '../domain/facility';
import type { TrialStay } from '../domain/trial-stay';
import { chainNext, compareEntries, verifyChainOnce } from '../domain/case-chain';
import { T as ST } from './text';
import { foldCase, validateEntry } from '../domain/case-fold';
import type { CaseEntry, EmergencyCase, EntryBody, Office, OpenBody } from '../domain/emergency-case';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../protocol/evidence-rules';
import { CLOSE_MESSAGES, monthCloseState, type MonthCloseRecord } from '../domain/claim-close';
import { readOffice } from '../domain/office';
import { buildHouseholdIndex, idsInNameOrder, upsertIndex, type HouseholdIndex } from '../domain/search';
import { restoreSearchIndex, storeSearchIndex } from '../domain/search-stored';
import type { ChangeOp, EntityKind, StoredEntity, Vault, VaultSession, VaultUser, DeviceSettings } from '../vault/types';
import { FUNCTION_BONUS_KINDS, type FunctionBonusKind } from '../protocol/constants';
import type { BonusClaimCount, BonusCoordinator, BonusRecords, BonusSplit, BonusUnitPrice } from '../domain/function-bonus';
import { toOpenError, toVaultError, type VaultError } from '../vault/errors';
import { wasSetUpInThisBrowser } from '../vault/db';
import { DEMO_ID_PREFIX, isDemoId } from '../domain/demo-id';
import { recordTooLarge } from '../domain/record-limits';
import { tellPassphraseChanged } from './lock-channel';

export type AppPhase = 'starting' | 'setup' | 'locked' | 'unlocking' | 'unlocked' | 'failed';

/** Called just before the key is dropped, so open forms can save their draft (encrypted). */
type BeforeLock = () => Promise<void> | void;

/** Why the app locked: the lock screen tells the user when it was the idle timer. */
/** 'elsewhere': another tab of the app was locked, or unlocked by someone else (lock-tabs.ts). */
/** 'crash': the app shell failed to render (error-boundary.tsx); only a reload leads on, so nothing stays unlocked. */
/** 'passphrase-changed': this tab asked an added person for their own passphrase, and they set it in another tab. */
/** 'clock-put-back': the idle lock found the wall clock before the last touch (src/app/idle-lock.ts). */
export type LockReason = 'manual' | 'idle' | 'clock-put-back' | 'elsewhere' | 'crash' | 'passphrase-changed' | 'removed';

/**
 * How long a beforeLock handler may take. A draft that hangs (a stuck transaction) must not keep
 * decrypted data in memory on an unattended phone.
 */
export const BEFORE_LOCK_TIMEOUT_MS = 3000;

/**
 * When an entry is recorded: now, but never more than a minute inside the hub's tolerance before
 * the latest entry of its case ([E7]: the hub refuses, for good, an entry dated over 5 minutes
 * before its parent). A phone whose clock runs 2 minutes slow, answering a call another phone 4
 * minutes fast recorded a moment before, stamped its entry 6 minutes earlier: refused, and every
 * later entry of that phone on the case refused with it as a broken link. An entry is recorded
 * after the ones before it, so the stamp that keeps it in the chain is as true as the clock it
 * replaces.
 *
 * The floor is the case's latest stamp, not the parent's: a phone a year behind, adding one entry
 * after another to a colleague's case, floored each from the one it had floored before and dated
 * them 4, 8, 12 minutes before the case was opened. The latest stamp is never before the parent's,
 * so the floor stays inside the hub's tolerance.
 */
export function stampAfter(before: readonly Pick<CaseEntry, 'recordedAt'>[], now: Date): IsoInstant {
  const latest = Math.max(...before.map((e) => Date.parse(e.recordedAt)).filter((at) => !Number.isNaN(at)));
  const floor = latest - (EVIDENCE_CLOCK_TOLERANCE_MS - 60_000);
  return new Date(Math.max(now.getTime(), floor)).toISOString();
}

export interface AppState {
  readonly vault: Vault | null;
  readonly phase: AppPhase;
  /**
   * A lock is under way: the open forms save their drafts and the lock is logged (up to seconds on
   * a slow disk). The screens are covered at once meanwhile (app.tsx): the records they show are
   * neither seen nor touched after the idle time ran out or ロック was pressed.
   */
  readonly locking: boolean;
  readonly users: readonly VaultUser[];
  /** Counts the 閲覧記録 entries 設定 wrote (accessLogged): the list on the same screen reads the log again */
  readonly accessLogVersion: number;
  readonly session: VaultSession | null;
  /**
   * The unlocked person was added by someone who typed their passphrase and so knows it
   * (VaultSession.mustChangePassphrase): the app shows only the change of it, and no record is
   * decrypted, until they have replaced it (passphraseChanged). False while locked.
   */
  readonly mustChangePassphrase: boolean;
  readonly settings: DeviceSettings;
  /**
   * Full household records. Right after an unlock from the snapshot this may hold only the ones
   * opened so far; `householdsLoaded` says when every record is in. Use `ensureHousehold` (or the
   * useHousehold hook) to read one.
   */
  readonly households: ReadonlyMap<string, Household>;
  /** true once every full household record is in memory */
  readonly householdsLoaded: boolean;
  /** What the list and the search show, for every household (from the snapshot, then the records). */
  readonly summaries: ReadonlyMap<string, HouseholdSummary>;
  readonly demoIds: ReadonlySet<string>;
  readonly facilities: ReadonlyMap<string, Facility>;
  readonly offices: ReadonlyMap<string, Office>;
  /** 機能強化加算: coordinators, split tables, claimed counts, unit prices (docs/function-bonus.md) */
  readonly bonus: BonusRecords;
  /** 体験利用: every trial stay held, by id */
  readonly trialStays: ReadonlyMap<string, TrialStay>;
  /** every case's entries, sorted by index (the chain as stored) */
  readonly caseEntries: ReadonlyMap<string, readonly CaseEntry[]>;
  /** 請求済み records (closes and their 取消), by id; append-only (domain/claim-close.ts) */
  readonly monthCloses: ReadonlyMap<string, MonthCloseRecord>;
  readonly index: HouseholdIndex;
  /**
   * Right after a snapshot unlock the index is built after the first paint: until then this holds
   * the list's order from the snapshot (ids in furigana order), and `index` is empty.
   */
  readonly pendingOrder: readonly string[] | null;
  /** how many records of each kind could not be read at unlock (damaged on the disk), set aside so the rest show */
  readonly unreadable: ReadonlyMap<EntityKind, number>;
  /** the last storage error, shown with a retry button */
  readonly error: VaultError | null;
  /**
   * The vault holds no key slot, but this browser had set it up before (vault/db.ts SET_UP_MARK_KEY):
   * its data went missing (a full disk made the browser delete it, or the site's data was cleared),
   * and the set-up screen says so instead of greeting a new phone.
   */
  readonly dataMissing: boolean;
  /** keys of forms with unsaved edits; a new app version waits while any are open */
  readonly unsaved: ReadonlySet<string>;
  readonly beforeLock: ReadonlySet<BeforeLock>;
  /** why the app last locked; null once someone unlocks */
  readonly lockedBy: LockReason | null;
  /**
   * The forms that had unsaved text when the app locked, and whose they were: after that user
   * unlocks, each reopens once (takeResumedForm). Not for another user, nor on a later visit.
   */
  readonly resumeForms: { readonly userId: string; readonly keys: ReadonlySet<string> } | null;
  /**
   * Forms whose autosaved draft could not be written (the phone full, the storage gone): what they
   * hold would be lost to a lock, so the app says to save first. Emptied by the lock.
   */
  readonly draftFailing: ReadonlySet<string>;
  /** the last lock could not save every open form's draft: the lock screen says so (null once someone unlocks) */
  readonly lockLostDrafts: boolean;
}

export interface AppActions {
  start(vault: Vault): Promise<void>;
  setUp(displayName: string, passphrase: string): Promise<void>;
  unlock(userId: string, passphrase: string): Promise<void>;
  /** Runs the beforeLock handlers, then drops the key and every decrypted record. */
  lock(reason?: LockReason): Promise<void>;
  /** After the session's passphrase change: when it was the one required at unlock, the records are read and the app opens. */
  passphraseChanged(): Promise<void>;
  saveHousehold(household: Household, op: ChangeOp): Promise<void>;
  openHousehold(id: string): Promise<void>;
  /** The 閲覧記録 of a case about a caller not registered ('open-case', by its 記録ID); a failure shows in the error banner, as openHousehold's. */
  openUnregisteredCase(caseId: string): Promise<void>;
  /** Makes sure the full record of one household is in memory (decrypting just that one if needed). */
  ensureHousehold(id: string): Promise<void>;
  saveFacility(facility: Facility, op: ChangeOp): Promise<void>;
  /** Stores every row of a checked CSV import in one transaction: all or nothing. */
  importFacilities(items: readonly { facility: Facility; op: 'create' | 'update' }[]): Promise<void>;
  saveOffice(office: Office, op: ChangeOp): Promise<void>;
  /** Stores one 機能強化加算 record (already checked by its form schema) and shows it. */
  saveBonusRecord<K extends FunctionBonusKind>(kind: K, record: BonusRecordOf[K], op: ChangeOp): Promise<void>;
  /** Stores a trial stay checked by validateTrialStay (domain/trial-stay.ts); demo household's stays stay demo. */
  saveTrialStay(stay: TrialStay, op: ChangeOp): Promise<void>;
  /**
   * Validates and appends one entry to a case (a new case when `caseId` is null, with the open
   * entry), chained to the entries before it. Rejects with CaseEntryRejected (Japanese messages)
   * when the entry breaks a rule; nothing is written then.
   */
  /**
   * `demo`: a new case the demo makes (its id starts with 'demo-'): with every later entry, kept
   * off the change log and cleared with the demo, whoever it is about.
   */
  appendCaseEntry(caseId: string | null, body: EntryBody, options?: { readonly demo?: boolean; readonly dropDraft?: string }): Promise<EmergencyCase>;
  /**
   * Appends a 請求済み record (a close, or the 取消 of one). Rejects with CaseEntryRejected when
   * the month is already closed (a close) or the close is not the standing one (a 取消); `demo`
   * keeps a demo month's record off the change log, cleared with the demo (a demo office's always is).
   */
  appendMonthClose(record: MonthCloseRecord, options?: { demo?: boolean }): Promise<void>;
  loadDemo(
    households: readonly Household[],
    facilities: readonly Facility[],
    offices?: readonly Office[],
    trialStays?: readonly TrialStay[],
    bonus?: BonusRecords,
  ): Promise<void>;
  clearDemo(): Promise<number>;
  /**
   * Decrypts every record again into memory (after a backup restore wrote them all at once). The
   * other tabs of the app are told to do the same, unless `tellOtherTabs` is false (this reload
   * follows what another tab or a sync wrote, and whoever wrote it tells them).
   */
  reload(options?: { readonly tellOtherTabs?: boolean }): Promise<void>;
  /**
   * Re-reads just these records (written by a sync) into what the screens show; many at once is
   * a full reload instead.
   */
  refreshRecords(keys: readonly (readonly [EntityKind, string])[]): Promise<void>;
  updateSettings(patch: Partial<DeviceSettings>): Promise<void>;
  refreshUsers(): Promise<void>;
  /** A screen wrote to the 閲覧記録 (a backup, a restore, a person added): the list shown reads it again. */
  accessLogged(): void;
  markUnsaved(key: string, unsaved: boolean): void;
  /** An autosave of the form `key` failed (true) or went through (false): draftFailing. */
  markDraftFailing(key: string, failing: boolean): void;
  /** True once if the form `key` was open with unsaved text when this user's session locked. */
  takeResumedForm(key: string): boolean;
  onBeforeLock(fn: BeforeLock): () => void;
  clearError(): void;
}

/** The record type each 機能強化加算 kind stores, and the BonusRecords list it goes to. */
export interface BonusRecordOf {
  readonly 'bonus-coordinator': BonusCoordinator;
  readonly 'bonus-split': BonusSplit;
  readonly 'bonus-count': BonusClaimCount;
  readonly 'bonus-price': BonusUnitPrice;
}
const BONUS_LIST: Readonly<Record<FunctionBonusKind, keyof BonusRecords>> = {
  'bonus-coordinator': 'coordinators',
  'bonus-split': 'splits',
  'bonus-count': 'counts',
  'bonus-price': 'prices',
};
const isBonusKind = (kind: EntityKind): kind is FunctionBonusKind => kind in BONUS_LIST;
const EMPTY_BONUS: BonusRecords = { coordinators: [], splits: [], counts: [], prices: [] };

/** The records with one added or replaced (by id). */
function withBonus(bonus: BonusRecords, kind: FunctionBonusKind, record: { readonly id: string }): BonusRecords {
  const list = BONUS_LIST[kind];
  const others = (bonus[list] as readonly { readonly id: string }[]).filter((r) => r.id !== record.id);
  return { ...bonus, [list]: [...others, record] };
}

/** The office a coordinator or a claim count is about ('' for a split or a price, which name none of their own). */
const officeOfBonus = (record: { readonly id: string }): string => ('officeId' in record && typeof record.officeId === 'string' ? record.officeId : '');

/** Timing marks for the benchmark (bench/run.ts reads them); no data, only names and times. */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

/**
 * Above this many records a sync brought (a first sync, a hub restored), the screens re-read
 * everything at once, one read per kind. Below it only what came is read: a colleague's busy night
 * (a few hundred case entries) re-read five years of the phone's evidence, seconds of decryption.
 */
const REFRESH_BY_KEY_MAX = 5_000;
/** How many records one read of a refresh takes (IndexedDB bulkGet and their decryption). */
const REFRESH_READ_CHUNK = 500;
/** Where the store holds each kind of record this phone edits in place (what a pull may overtake). */
const SAVED_HERE: Partial<Record<EntityKind, (state: AppState) => ReadonlyMap<string, unknown>>> = {
  household: (s) => s.summaries,
  facility: (s) => s.facilities,
  office: (s) => s.offices,
  'trial-stay': (s) => s.trialStays,
};

/**
 * A store map for a refresh: the same map until the first `set`, which copies it once. The store's
 * maps are never changed in place (selectors and memos compare them by identity).
 */
function copiedOnWrite<K, V>(map: ReadonlyMap<K, V>): { set(key: K, value: V): void; current(): ReadonlyMap<K, V> } {
  let copy: Map<K, V> | null = null;
  return {
    set(key, value) {
      (copy ??= new Map(map)).set(key, value);
    },
    current: () => copy ?? map,
  };
}

/**
 * What this tab's store wrote to the vault: those records, or 'all' (a reload after a restore, the
 * demo loaded or cleared). The other tabs of the app read them again (src/app/records-tabs.ts): a
 * tab left open beside this one chained a case entry onto a copy that lacked this tab's 終了, and
 * saved a household over the edit made here.
 */
export type RecordsWritten = readonly (readonly [EntityKind, string])[] | 'all';
type WrittenListener = (deviceId: string, written: RecordsWritten) => void;
const writtenListeners = new Set<WrittenListener>();

/** Hears of every write this tab's store makes, with the device whose vault it went to; returns the unsubscribe. */
export function onRecordsWritten(listener: WrittenListener): () => void {
  writtenListeners.add(listener);
  return () => writtenListeners.delete(listener);
}

function tellWritten(session: VaultSession, written: RecordsWritten): void {
  for (const listener of writtenListeners) listener(session.deviceId, written);
}

/**
 * Runs `work` holding the Web Lock `name`, which every tab of the app shares, so that two tabs
 * never check and write the same case at once. Without Web Locks (jsdom) it runs as it is: the
 * re-read inside still catches what another tab wrote before.
 */
function withTabLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks === undefined ? work() : locks.request(name, work).then((done) => done);
}

/** Above this many households pulled, the search index is built once rather than updated for each. */
const INDEX_UPSERT_MAX = 20;

export const DEFAULT_SETTINGS: DeviceSettings = { idleLockMinutes: 5, reviewAfterMonths: 12 };

/** A case entry the rules refuse; `messages` are shown beside the form. */
export class CaseEntryRejected extends Error {
  override readonly name = 'CaseEntryRejected';
  constructor(readonly messages: readonly string[]) {
    super(messages.join('\n'));
  }
}

/** Groups stored entries by case, each in read order (case-chain.ts): the order the chain is checked and folded in. */
export function groupCaseEntries(entries: readonly CaseEntry[]): Map<string, CaseEntry[]> {
  const byCase = new Map<string, CaseEntry[]>();
  for (const e of entries) {
    const list = byCase.get(e.caseId);
    if (list) list.push(e);
    else byCase.set(e.caseId, [e]);
  }
  for (const list of byCase.values()) list.sort(compareEntries);
  return byCase;
}

/** The cache key of the encrypted household summary snapshot (vault/cache.ts). */
export const SUMMARY_SNAPSHOT_KEY = 'household-summaries';

const emptyData = () => ({
  households: new Map<string, Household>(),
  householdsLoaded: false,
  summaries: new Map<string, HouseholdSummary>(),
  demoIds: new Set<string>(),
  facilities: new Map<string, Facility>(),
  offices: new Map<string, Office>(),
  bonus: EMPTY_BONUS,
  trialStays: new Map<string, TrialStay>(),
  caseEntries: new Map<string, readonly CaseEntry[]>(),
  monthCloses: new Map<string, MonthCloseRecord>(),
  index: buildHouseholdIndex([]),
  pendingOrder: null as readonly string[] | null,
  unreadable: new Map<EntityKind, number>() as ReadonlyMap<EntityKind, number>,
});

// The vault writes the 'unlock' access entry itself (an unlock is never handed out unlogged).
export const useApp = create<AppState & AppActions>()((set, get) => {
  let locking: Promise<void> | null = null;

  function requireSession(): VaultSession {
    const session = get().session;
    if (!session) throw toVaultError(Object.assign(new Error('locked'), { code: 'locked' }));
    return session;
  }

  /**
   * The app was locked (or another person unlocked) while `session` wrote: what it wrote is in the
   * vault, but must not come back into the locked app's memory (a lock drops every decrypted record).
   */
  function lockedSince(session: VaultSession): boolean {
    return get().session !== session;
  }

  function summariesOf(households: Iterable<Household>): Map<string, HouseholdSummary> {
    const summaries = new Map<string, HouseholdSummary>();
    for (const h of households) summaries.set(h.id, summarizeHousehold(h));
    return summaries;
  }

  /** Writes the snapshot of what the list shows; a failure costs only the next unlock's speed. */
  function writeSnapshot(session: VaultSession): Promise<void> {
    const { summaries, demoIds, index, pendingOrder } = get();
    const order = pendingOrder ?? idsInNameOrder(index);
    const list = [...summaries.values()];
    // The index goes with the summaries only when it is built over exactly them, in their order.
    const stored = pendingOrder === null ? storeSearchIndex(index, list.map((s) => s.id)) : null;
    const snapshot: SummarySnapshot = { version: 1, summaries: list, demoIds: [...demoIds], order, ...(stored ? { index: stored } : {}) };
    return session.saveCache(SUMMARY_SNAPSHOT_KEY, snapshot).catch(() => undefined);
  }

  /**
   * What this tab's store saved while a full read (loadAll) was under way, by kind: ids, and for
   * case entries their case's id. The read may have met the vault before the save, and setting what
   * it read would drop the save from the screens (the vault has it): a call recorded from the
   * dialler during a sync's reload vanished, and the coordinator, seeing no 電話済み, called again.
   */
  type WrittenDuringLoad = Map<EntityKind, Set<string>>;
  const loadsUnderWay = new Set<WrittenDuringLoad>();
  /** Called where a save puts its record into the store. */
  function noteSaved(kind: EntityKind, ids: Iterable<string>): void {
    for (const written of loadsUnderWay) {
      const held = written.get(kind) ?? new Set<string>();
      for (const id of ids) held.add(id);
      written.set(kind, held);
    }
  }

  /**
   * What a full read found, with what was saved meanwhile kept as the store holds it: case entries
   * and 請求済み records are never changed in place, so their case's entries are the union of both.
   */
  function withSavedMeanwhile(written: WrittenDuringLoad, read: {
    facilities: Map<string, Facility>;
    offices: Map<string, Office>;
    bonus: BonusRecords;
    trialStays: Map<string, TrialStay>;
    caseEntries: Map<string, CaseEntry[]>;
    monthCloses: Map<string, MonthCloseRecord>;
  }): void {
    const state = get();
    const keep = <V,>(kind: EntityKind, into: Map<string, V>, from: ReadonlyMap<string, V>) => {
      for (const id of written.get(kind) ?? []) {
        const held = from.get(id);
        if (held !== undefined) into.set(id, held);
      }
    };
    keep('facility', read.facilities, state.facilities);
    keep('office', read.offices, state.offices);
    keep('trial-stay', read.trialStays, state.trialStays);
    keep('month-close', read.monthCloses, state.monthCloses);
    for (const kind of FUNCTION_BONUS_KINDS) {
      for (const id of written.get(kind) ?? []) {
        const held = (state.bonus[BONUS_LIST[kind]] as readonly { readonly id: string }[]).find((r) => r.id === id);
        if (held !== undefined) read.bonus = withBonus(read.bonus, kind, held);
      }
    }
    for (const caseId of written.get('case-entry') ?? []) {
      const found = read.caseEntries.get(caseId) ?? [];
      const ids = new Set(found.map((e) => e.id));
      const held = (state.caseEntries.get(caseId) ?? []).filter((e) => !ids.has(e.id));
      if (held.length > 0) read.caseEntries.set(caseId, [...found, ...held].sort(compareEntries));
    }
  }

  /**
   * Reads what the app holds. With a snapshot (and unless `full`), the list and search are ready as
   * soon as the snapshot is decrypted; full household records follow in the background and replace
   * it (a stale snapshot is corrected then, and rewritten). Without one, everything is read first.
   */
  async function loadAll(session: VaultSession, options: { full?: boolean } = {}) {
    const written: WrittenDuringLoad = new Map();
    loadsUnderWay.add(written);
    try {
      await readAll(session, written, options);
    } finally {
      loadsUnderWay.delete(written);
    }
  }

  async function readAll(session: VaultSession, written: WrittenDuringLoad, options: { full?: boolean }) {
    const snapshotRead = options.full ? Promise.resolve(undefined) : session.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY);
    // A record damaged on the disk is set aside and counted (unreadable), not the end of every list.
    const unreadable = new Map<EntityKind, number>();
    const readable = async <T,>(kind: EntityKind) => {
      const { records, unreadable: ids } = await session.listReadable<T>(kind);
      if (ids.length > 0) unreadable.set(kind, ids.length);
      return records;
    };
    const [facilities, offices, entries, closes, trialStays, snapshot, ...bonusLists] = await Promise.all([
      readable<Facility>('facility'),
      readable<Office>('office'),
      readable<CaseEntry>('case-entry'),
      readable<MonthCloseRecord>('month-close'),
      readable<TrialStay>('trial-stay'),
      snapshotRead,
      ...FUNCTION_BONUS_KINDS.map((kind) => readable<{ readonly id: string }>(kind)),
    ]);
    let bonus = EMPTY_BONUS;
    FUNCTION_BONUS_KINDS.forEach((kind, i) => bonusLists[i]!.forEach((r) => (bonus = withBonus(bonus, kind, r.data))));
    const others = {
      facilities: new Map(facilities.map((f) => [f.id, f.data])),
      offices: new Map(offices.map((o) => [o.id, readOffice(o.data)])),
      bonus,
      trialStays: new Map(trialStays.map((t) => [t.id, t.data])),
      caseEntries: groupCaseEntries(entries.map((e) => e.data)),
      monthCloses: new Map(closes.map((r) => [r.id, r.data])),
      unreadable,
    };
    // Read for a session locked since (a reload the handover outran): the next person's data is theirs.
    if (get().session !== session) return;
    if (snapshot?.version === 1 && Array.isArray(snapshot.summaries)) {
      mark('unlock:decrypted');
      withSavedMeanwhile(written, others);
      const summaries = new Map(snapshot.summaries.map((h) => [h.id, h]));
      // The index usually comes with the snapshot. Without it but with the list's order, the list
      // shows at once and the index (~0.2 s at 10,000 households) is built after the first paint;
      // a query typed meanwhile is answered when it is.
      const order = Array.isArray(snapshot.order) && snapshot.order.length === summaries.size ? snapshot.order : null;
      const restored = order === null ? null : restoreSearchIndex(snapshot.index, snapshot.summaries, order);
      const pendingOrder = restored === null ? order : null;
      const index = restored ?? (order === null ? buildHouseholdIndex(snapshot.summaries) : buildHouseholdIndex([]));
      mark('unlock:indexed');
      set({
        ...others,
        households: new Map(),
        householdsLoaded: false,
        summaries,
        demoIds: new Set(snapshot.demoIds),
        index,
        pendingOrder,
      });
      if (pendingOrder === null) mark('unlock:searchable');
      afterFirstPaint(() => {
        if (get().session !== session) return;
        if (get().pendingOrder !== null) {
          set({ index: buildHouseholdIndex([...get().summaries.values()]), pendingOrder: null });
          mark('unlock:searchable');
        }
        // Then the full records: reading 30 MB at once would hold up the first screen.
        afterFirstPaint(() => void loadFullHouseholds(session));
      });
      return;
    }
    const households = await readable<unknown>('household');
    if (get().session !== session) return;
    mark('unlock:decrypted');
    withSavedMeanwhile(written, others);
    const byId = new Map(households.map((h) => [h.id, readHousehold(h.data)]));
    for (const id of written.get('household') ?? []) {
      const held = get().households.get(id);
      if (held !== undefined) byId.set(id, held);
    }
    const index = buildHouseholdIndex([...byId.values()]);
    mark('unlock:indexed');
    set({
      ...others,
      households: byId,
      householdsLoaded: true,
      summaries: summariesOf(byId.values()),
      demoIds: new Set(households.filter((h) => h.demo).map((h) => h.id)),
      index,
      pendingOrder: null,
    });
    mark('unlock:searchable');
    void writeSnapshot(session);
  }

  /** The background half of a snapshot unlock. Records saved or opened meanwhile are newer: kept. */
  async function loadFullHouseholds(session: VaultSession): Promise<void> {
    let stored;
    let damaged;
    try {
      ({ records: stored, unreadable: damaged } = await session.listReadable<unknown>('household'));
    } catch {
      return; // locked meanwhile, or storage trouble: the list still works, details load one by one
    }
    if (get().session !== session) return;
    if (damaged.length > 0) set({ unreadable: new Map(get().unreadable).set('household', damaged.length) });
    const households = new Map(stored.map((h) => [h.id, readHousehold(h.data)]));
    for (const [id, h] of get().households) households.set(id, h);
    const before = JSON.stringify([...get().summaries.values()]);
    const summaries = summariesOf(households.values());
    const changed = before !== JSON.stringify([...summaries.values()]);
    set({
      households,
      householdsLoaded: true,
      summaries,
      demoIds: new Set(stored.filter((h) => h.demo).map((h) => h.id)),
      ...(changed ? { index: buildHouseholdIndex([...summaries.values()]), pendingOrder: null } : {}),
    });
    if (changed) await writeSnapshot(session);
  }

  // Appends to one case run one after another: a double tap must not give two entries one index.
  const caseQueues = new Map<string, Promise<unknown>>();
  function queued<T>(caseId: string, work: () => Promise<T>): Promise<T> {
    const run = (caseQueues.get(caseId) ?? Promise.resolve()).catch(() => undefined).then(work);
    caseQueues.set(caseId, run);
    void run.finally(() => {
      if (caseQueues.get(caseId) === run) caseQueues.delete(caseId);
    }).catch(() => undefined);
    return run;
  }

  /**
   * Reads into the store the case entries the vault holds and this tab does not show: written by
   * another tab of the app whose word (records-tabs.ts) has not come yet. An append is checked
   * against them, never against a stale copy: a tab left open behind the one that recorded the
   * admission and 終了 chained a second admission onto the case, a fork from one phone.
   * Only the keys are read, and only the entries missing here decrypted.
   */
  async function catchUpCaseEntries(session: VaultSession): Promise<void> {
    const shown = new Set<string>();
    for (const list of get().caseEntries.values()) for (const e of list) shown.add(e.id);
    const missing = await guarded(() => caseEntriesNotShown(session, shown));
    if (missing.length === 0 || lockedSince(session)) return;
    const caseEntries = new Map(get().caseEntries);
    for (const [caseId, arrived] of groupCaseEntries(missing)) {
      const held = caseEntries.get(caseId) ?? [];
      const heldIds = new Set(held.map((e) => e.id));
      caseEntries.set(caseId, [...held, ...arrived.filter((e) => !heldIds.has(e.id))].sort(compareEntries));
    }
    set({ caseEntries });
  }

  async function caseEntriesNotShown(session: VaultSession, shown: ReadonlySet<string>): Promise<CaseEntry[]> {
    const ids = (await session.recordIds('case-entry')).filter((id) => !shown.has(id));
    // One read each, in parallel: an entry damaged on the disk (set aside at unlock) is left out, not the end of every append.
    const readable = (id: string) =>
      session.get<CaseEntry>('case-entry', id).catch((e: unknown) => {
        if (toVaultError(e).code === 'corrupt') return undefined;
        throw e;
      });
    const read = await Promise.all(ids.map(readable));
    return read.flatMap((r) => (r === undefined ? [] : [r.data]));
  }

  /** As catchUpCaseEntries, for the 請求済み records: few (one a month and office), so read whole. */
  async function catchUpMonthCloses(session: VaultSession): Promise<void> {
    const { records } = await guarded(() => session.listReadable<MonthCloseRecord>('month-close'));
    const missing = records.filter((r) => !get().monthCloses.has(r.id));
    if (missing.length === 0 || lockedSince(session)) return;
    const monthCloses = new Map(get().monthCloses);
    for (const r of missing) monthCloses.set(r.id, r.data);
    set({ monthCloses });
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    // The session the work ran in: a failure of one locked since (the day person's reload, outrun by
    // the handover) is not the next person's, and neither locks their session nor shows them a banner.
    const before = get().session;
    try {
      return await work();
    } catch (e) {
      const err = toVaultError(e);
      if (before !== null && get().session !== before) throw err;
      if (err.code === 'locked') {
        set({ session: null, phase: 'locked', mustChangePassphrase: false, ...emptyData() });
      } else if (err.code !== 'wrong-passphrase' && err.code !== 'throttled' && err.code !== 'weak-passphrase') {
        set({ error: err });
      }
      throw err;
    }
  }

  return {
    vault: null,
    phase: 'starting',
    locking: false,
    users: [],
    accessLogVersion: 0,
    session: null,
    mustChangePassphrase: false,
    settings: DEFAULT_SETTINGS,
    ...emptyData(),
    error: null,
    dataMissing: false,
    unsaved: new Set(),
    beforeLock: new Set(),
    lockedBy: null,
    resumeForms: null,
    draftFailing: new Set(),
    lockLostDrafts: false,

    async start(vault) {
      // the page's first open: a failure there is storage the browser refuses, not a lost connection;
      // so is its 再試行 after a database that would not open (a full disk), which fails the same way
      const first = get().vault === null || get().error?.code === 'open-failed';
      // start() also reopens after a lost connection: nothing of the old session may survive it.
      get().session?.lock();
      set({ vault, phase: 'starting', error: null, dataMissing: false, session: null, mustChangePassphrase: false, unsaved: new Set(), resumeForms: null, ...emptyData() });
      await guarded(async () => {
        const [setUp, users, settings] = await Promise.all([vault.isSetUp(), vault.listUsers(), vault.settings()]);
        set({ users, settings, phase: setUp ? 'locked' : 'setup', dataMissing: !setUp && wasSetUpInThisBrowser() });
      }).catch((e: unknown) => set(first ? { phase: 'failed', error: toOpenError(e) } : { phase: 'failed' }));
    },

    async setUp(displayName, passphrase) {
      const vault = get().vault!;
      try {
        await guarded(async () => {
          const session = await vault.setUp(displayName, passphrase);
          set({ session, lockedBy: null, lockLostDrafts: false, users: await vault.listUsers() });
          await loadAll(session);
          set({ phase: 'unlocked' });
        });
      } catch (e) {
        // Set up meanwhile in another tab: this one goes to the lock screen with its people, not a
        // setup screen whose every try says so (only a reload led on, and an installed app has none)
        if (toVaultError(e).code === 'already-set-up') {
          const users = await vault.listUsers().catch(() => get().users);
          set({ users, phase: 'locked', error: null });
        }
        throw e;
      }
    },

    async unlock(userId, passphrase) {
      const vault = get().vault!;
      set({ phase: 'unlocking' });
      try {
        await guarded(async () => {
          mark('unlock:start');
          // Wrong passphrases leave no entry then (there is no key to seal one with): the vault's
          // unlock writes them, on anyone's slot, at their own times (vault/failed-unlocks.ts).
          const session = await vault.unlock(userId, passphrase);
          mark('unlock:key');
          // Changed in another tab of the app since this page started (the idle lock's minutes):
          // this tab locked on the old ones.
          const settings = await vault.settings().catch(() => get().settings);
          // The app crashed while the key was being derived (error-boundary.tsx): only a reload leads
          // on, so nothing opens behind the crash screen.
          if (get().lockedBy === 'crash') {
            session.lock();
            set({ phase: 'locked' });
            return;
          }
          // an error met before this unlock (a lost connection, at the first try) is not this session's:
          // its banner asked for 再試行, which then locked the phone again
          set({ session, settings, lockedBy: null, lockLostDrafts: false, mustChangePassphrase: session.mustChangePassphrase, error: null });
          // A passphrase someone else knows opens nothing until its holder replaces it (passphraseChanged).
          if (!session.mustChangePassphrase) await loadAll(session);
          // Locked meanwhile (another tab's lock, a crash): it stays locked.
          if (lockedSince(session)) return;
          set({ phase: 'unlocked' });
          mark('unlock:done');
        });
      } catch (e) {
        set({ phase: get().session ? 'unlocked' : 'locked' });
        throw e;
      }
    },

    lock(reason = 'manual') {
      // Idle timer, visibility check and the button may all fire together: lock once.
      if (locking) return locking;
      if (get().phase === 'unlocked') set({ locking: true });
      locking = (async () => {
        // A person taken off the phone (another tab, the hub's stop) leaves no draft behind: their
        // key slot and personal drafts are gone, and one saved now would never be read again.
        const saved = await Promise.all(
          [...(reason === 'removed' ? [] : get().beforeLock)].map((fn) =>
            withTimeout(fn, BEFORE_LOCK_TIMEOUT_MS).then(
              () => true,
              // A draft that cannot be saved must not keep the data unlocked: the lock screen says it was lost.
              () => false,
            ),
          ),
        );
        const { session, unsaved } = get();
        const resumeForms = session && unsaved.size > 0 ? { userId: session.user.id, keys: new Set(unsaved) } : null;
        // The lock is in the 閲覧記録 too; a log that cannot be written must not keep the data unlocked.
        if (session && !session.isLocked) await withTimeout(() => session.logAccess('lock', null), BEFORE_LOCK_TIMEOUT_MS).catch(() => undefined);
        session?.lock();
        // (an error banner is the session's: not shown to whoever unlocks next)
        set({
          session: null,
          mustChangePassphrase: false,
          phase: 'locked',
          locking: false,
          lockedBy: reason,
          unsaved: new Set(),
          resumeForms,
          error: null,
          draftFailing: new Set(),
          lockLostDrafts: saved.includes(false),
          ...emptyData(),
        });
      })().finally(() => {
        locking = null;
        if (get().locking) set({ locking: false });
      });
      return locking;
    },

    async passphraseChanged() {
      const session = requireSession();
      if (!get().mustChangePassphrase || session.mustChangePassphrase) return;
      // At once, not after the reading (seconds with many households, and a lock may cut it short).
      tellPassphraseChanged(session.user.id);
      try {
        await guarded(() => loadAll(session));
      } finally {
        // As after an unlock whose reading failed: the app opens, with the error shown and 再試行.
        if (!lockedSince(session)) set({ mustChangePassphrase: false });
      }
    },

    async saveHousehold(household, op) {
      const session = requireSession();
      await guarded(() => session.put('household', household.id, household, op));
      tellWritten(session, [['household', household.id]]);
      if (lockedSince(session)) return;
      noteSaved('household', [household.id]);
      const households = new Map(get().households);
      households.set(household.id, household);
      const summary = summarizeHousehold(household);
      const summaries = new Map(get().summaries).set(household.id, summary);
      // Saved before the index was built (just after unlock): build it now, with this household.
      const index = get().pendingOrder === null ? upsertIndex(get().index, summary) : buildHouseholdIndex([...summaries.values()]);
      set({ households, summaries, index, pendingOrder: null });
      void writeSnapshot(session);
    },

    async saveFacility(facility, op) {
      const session = requireSession();
      await guarded(() => session.put('facility', facility.id, facility, op));
      tellWritten(session, [['facility', facility.id]]);
      if (lockedSince(session)) return;
      noteSaved('facility', [facility.id]);
      set({ facilities: new Map(get().facilities).set(facility.id, facility) });
    },

    async importFacilities(items) {
      const session = requireSession();
      await guarded(() =>
        session.putMany('facility', items.map(({ facility, op }) => ({ id: facility.id, data: facility, op }))),
      );
      tellWritten(session, items.map(({ facility }) => ['facility', facility.id] as const));
      if (lockedSince(session)) return;
      noteSaved('facility', items.map(({ facility }) => facility.id));
      const facilities = new Map(get().facilities);
      for (const { facility } of items) facilities.set(facility.id, facility);
      set({ facilities });
    },

    async saveOffice(office, op) {
      const session = requireSession();
      await guarded(() => session.put('office', office.id, office, op));
      tellWritten(session, [['office', office.id]]);
      if (lockedSince(session)) return;
      noteSaved('office', [office.id]);
      set({ offices: new Map(get().offices).set(office.id, office) });
    },

    async saveBonusRecord(kind, record, op) {
      const session = requireSession();
      // A demo record edited (every demo id starts with 'demo-', demo-function-bonus.ts) stays demo:
      // kept off the change log and cleared with the demo, never left behind as real figures. So is
      // one about a demo office (a count entered for it in a month the demo left empty has the id
      // claimCountId makes, no 'demo-'): the hub was sent figures of an office that does not exist.
      if (isDemoId(record.id) || isDemoId(officeOfBonus(record))) await guarded(() => session.putDemo(kind, [{ id: record.id, data: record }]));
      else await guarded(() => session.put(kind, record.id, record, op));
      tellWritten(session, [[kind, record.id]]);
      if (lockedSince(session)) return;
      noteSaved(kind, [record.id]);
      set({ bonus: withBonus(get().bonus, kind, record) });
    },
    async saveTrialStay(stay, op) {
      const session = requireSession();
      // A stay of a demo household is demo data: kept off the change log, cleared with the demo.
      if (get().demoIds.has(stay.householdId)) await guarded(() => session.putDemo('trial-stay', [{ id: stay.id, data: stay }]));
      else await guarded(() => session.put('trial-stay', stay.id, stay, op));
      tellWritten(session, [['trial-stay', stay.id]]);
      if (lockedSince(session)) return;
      noteSaved('trial-stay', [stay.id]);
      set({ trialStays: new Map(get().trialStays).set(stay.id, stay) });
    },

    appendCaseEntry(caseId, body, options) {
      const id = caseId ?? `${options?.demo === true ? DEMO_ID_PREFIX : ''}${globalThis.crypto.randomUUID()}`;
      // A new case's id is new: no other tab can hold it, and nothing is there to read again.
      const inCaseLock = <T,>(work: () => Promise<T>) => (caseId === null ? work() : withTabLock(`kyoten-case:${id}`, work));
      return queued(id, () => inCaseLock(async () => {
        const session = requireSession();
        if (caseId !== null) await catchUpCaseEntries(session);
        const before = get().caseEntries.get(id) ?? [];
        if (caseId !== null && before.length === 0) throw new CaseEntryRejected(['この対応記録が見つかりません。']);
        // Nothing is written onto a broken chain, from whichever screen: the case screen was read-only,
        // but the match recorded calls, results and an outcome into a case its banner said to leave alone.
        if (before.length > 0) {
          const chain = await verifyChainOnce(before);
          if (!chain.ok) throw new CaseEntryRejected([ST.chainBroken(chain.problem)]);
        }
        const now = new Date();
        const recordedAt = stampAfter(before, now);
        const errors = validateEntry(before.length === 0 ? null : foldCase(before), body, recordedAt, now.toISOString());
        if (errors.length > 0) throw new CaseEntryRejected(errors);
        // A case about a demo household, or one the demo made (its unnamed caller), is demo evidence:
        // kept off the change log, cleared with the demo.
        const opening = before[0]?.body ?? body;
        const subjectHousehold = opening.type === 'open' ? (opening as OpenBody).subject.householdId : null;
        const demoHousehold = (household: string | null) => household !== null && (isDemoId(household) || get().demoIds.has(household));
        const demo = isDemoId(id) || demoHousehold(subjectHousehold);
        // Real evidence names nothing the demo made up: a real call under the demo's office, or a real
        // unnamed caller linked to a demo person, went to the hub as a claim of a fictional office or
        // person (the case stays real: its id and its opening say so, not the link).
        if (!demo && body.type === 'open' && isDemoId(body.officeId)) throw new CaseEntryRejected([ST.demoOfficeInRealCase]);
        if (!demo && body.type === 'link' && demoHousehold(body.subject.householdId)) {
          throw new CaseEntryRejected([ST.demoPersonInRealCase]);
        }
        const entry = await chainNext(before, {
          id: globalThis.crypto.randomUUID(),
          caseId: id,
          recordedAt,
          recordedBy: { userId: session.user.id, name: session.user.displayName },
          deviceId: session.deviceId,
          body,
        });
        // The hub takes no change above MAX_RECORD_BYTES, and refuses every later entry of a case
        // after one it refused (E2): the evidence could then be neither corrected nor set aside.
        // Said here, with its size, and nothing queued.
        const tooLarge = recordTooLarge(entry);
        if (tooLarge !== null) throw new CaseEntryRejected([tooLarge]);
        await guarded(() => session.append('case-entry', entry.id, entry, { demo, ...(options?.dropDraft === undefined ? {} : { dropDraft: options.dropDraft }) }));
        tellWritten(session, [['case-entry', entry.id]]);
        // What the store holds now, not `before`: a sync may have brought another phone's entry of
        // this case while this one was written, and dropping it hid, say, its 受入可 until a reload.
        const held = get().caseEntries.get(id) ?? before;
        const entries = [...held.filter((e) => e.id !== entry.id), entry].sort(compareEntries);
        if (lockedSince(session)) return foldCase(entries);
        noteSaved('case-entry', [id]);
        set({ caseEntries: new Map(get().caseEntries).set(id, entries) });
        return foldCase(entries);
      }));
    },

    appendMonthClose(record, options = {}) {
      const month = `${record.officeId}:${record.month}`;
      return queued(`month-close:${month}`, () => withTabLock(`kyoten-month-close:${month}`, async () => {
        const session = requireSession();
        // Closed in another tab meanwhile: closed twice, two 請求済み of one month (catchUpCaseEntries says why).
        await catchUpMonthCloses(session);
        const { active } = monthCloseState([...get().monthCloses.values()], record.officeId, record.month);
        if (record.body.type === 'close' && active !== null) throw new CaseEntryRejected([CLOSE_MESSAGES.alreadyClosed(active.body.sentOn)]);
        if (record.body.type === 'cancel' && active?.id !== record.body.cancels) throw new CaseEntryRejected([CLOSE_MESSAGES.notClosed]);
        // A close of a demo office (and its 取消) is the demo's whatever its cases: its month holds the
        // demo's unnamed callers too, and a screen that judged it by its households sent a 請求済み of
        // an office that does not exist to the hub, left behind by 「デモデータを消去」.
        const demo = options.demo === true || isDemoId(record.officeId);
        await guarded(() => session.append('month-close', record.id, record, { demo }));
        tellWritten(session, [['month-close', record.id]]);
        if (lockedSince(session)) return;
        noteSaved('month-close', [record.id]);
        set({ monthCloses: new Map(get().monthCloses).set(record.id, record) });
      }));
    },

    async ensureHousehold(id) {
      const { householdsLoaded, households } = get();
      if (householdsLoaded || households.has(id)) return;
      const session = requireSession();
      const stored = await guarded(() => session.get<unknown>('household', id));
      if (!stored || get().session !== session || get().households.has(id)) return;
      set({ households: new Map(get().households).set(id, readHousehold(stored.data)) });
    },

    async openHousehold(id) {
      const session = requireSession();
      await guarded(() => session.logAccess('open-household', id));
    },

    async openUnregisteredCase(caseId) {
      const session = requireSession();
      await guarded(() => session.logAccess('open-case', null, `記録ID ${caseId}`));
    },

    async loadDemo(households, facilities, offices = [], trialStays = [], bonus = EMPTY_BONUS) {
      const session = requireSession();
      await guarded(async () => {
        await session.putDemo('household', households.map((h) => ({ id: h.id, data: h })));
        await session.putDemo('facility', facilities.map((f) => ({ id: f.id, data: f })));
        await session.putDemo('office', offices.map((o) => ({ id: o.id, data: o })));
        await session.putDemo('trial-stay', trialStays.map((t) => ({ id: t.id, data: t })));
        for (const kind of FUNCTION_BONUS_KINDS) {
          await session.putDemo(kind, (bonus[BONUS_LIST[kind]] as readonly { readonly id: string }[]).map((r) => ({ id: r.id, data: r })));
        }
        tellWritten(session, 'all');
        await loadAll(session, { full: true });
      });
    },

    async clearDemo() {
      const session = requireSession();
      return guarded(async () => {
        const removed = await session.clearDemo();
        tellWritten(session, 'all');
        await loadAll(session, { full: true });
        return removed;
      });
    },

    async reload(options = {}) {
      const session = requireSession();
      if (options.tellOtherTabs !== false) tellWritten(session, 'all');
      await guarded(() => loadAll(session, { full: true }));
    },

    async refreshRecords(keys) {
      const session = requireSession();
      // What is re-read here was written elsewhere, and whoever wrote it tells the other tabs.
      if (keys.length > REFRESH_BY_KEY_MAX) return get().reload({ tellOtherTabs: false });
      await guarded(async () => {
        const before = get();
        const read: { kind: EntityKind; stored: StoredEntity<unknown> | undefined }[] = [];
        for (let i = 0; i < keys.length; i += REFRESH_READ_CHUNK) {
          const chunk = keys.slice(i, i + REFRESH_READ_CHUNK);
          const stored = await session.getMany<unknown>(chunk);
          chunk.forEach(([kind], j) => read.push({ kind, stored: stored[j] }));
        }
        if (get().session !== session) return;
        const state = get();
        // A map is copied only when the pull brought a record of its kind: a pull of one case entry
        // leaves the facilities and households maps as they were, and the memos keyed on them (the
        // facility list, the match, the household search) are not run again.
        const households = copiedOnWrite(state.households);
        const summaries = copiedOnWrite(state.summaries);
        const facilities = copiedOnWrite(state.facilities);
        const offices = copiedOnWrite(state.offices);
        let bonus = state.bonus;
        const trialStays = copiedOnWrite(state.trialStays);
        const caseEntries = copiedOnWrite(state.caseEntries);
        const monthCloses = copiedOnWrite(state.monthCloses);
        let index = state.index;
        const pulledHouseholds: HouseholdSummary[] = [];
        // Saved on this phone while the sync's records were read: the phone's save came after, and stays.
        const savedMeanwhile = (kind: EntityKind, id: string): boolean => {
          const heldIn = SAVED_HERE[kind];
          return heldIn !== undefined && heldIn(state).get(id) !== heldIn(before).get(id);
        };
        for (const { kind, stored } of read) {
          if (stored === undefined || savedMeanwhile(kind, stored.id)) continue;
          if (kind === 'household') {
            const household = readHousehold(stored.data);
            const summary = summarizeHousehold(household);
            households.set(household.id, household);
            summaries.set(household.id, summary);
            pulledHouseholds.push(summary);
          } else if (kind === 'facility') facilities.set(stored.id, stored.data as Facility);
          else if (kind === 'office') offices.set(stored.id, readOffice(stored.data));
          else if (isBonusKind(kind)) bonus = withBonus(bonus, kind, stored.data as { readonly id: string });
          else if (kind === 'month-close') monthCloses.set(stored.id, stored.data as MonthCloseRecord);
          else if (kind === 'trial-stay') trialStays.set(stored.id, stored.data as TrialStay);
          else {
            const entry = stored.data as CaseEntry;
            const list = [...(caseEntries.current().get(entry.caseId) ?? []).filter((e) => e.id !== entry.id), entry].sort(compareEntries);
            caseEntries.set(entry.caseId, list);
          }
        }
        const householdsChanged = pulledHouseholds.length > 0;
        // A few are put into the index one by one; many (each upsert prepares the whole index again),
        // or any pulled before the index was built (just after unlock), build it once, with them.
        if (householdsChanged && (state.pendingOrder !== null || pulledHouseholds.length > INDEX_UPSERT_MAX)) index = buildHouseholdIndex([...summaries.current().values()]);
        else for (const summary of pulledHouseholds) index = upsertIndex(index, summary);
        set({
          households: households.current(),
          summaries: summaries.current(),
          facilities: facilities.current(),
          offices: offices.current(),
          bonus,
          trialStays: trialStays.current(),
          caseEntries: caseEntries.current(),
          monthCloses: monthCloses.current(),
          index,
          pendingOrder: householdsChanged ? null : state.pendingOrder,
        });
        if (householdsChanged) await writeSnapshot(session);
      });
    },

    async updateSettings(patch) {
      const vault = get().vault!;
      const settings = await guarded(() => vault.updateSettings(patch));
      set({ settings });
    },

    async refreshUsers() {
      const vault = get().vault!;
      set({ users: await guarded(() => vault.listUsers()) });
    },

    accessLogged() {
      set({ accessLogVersion: get().accessLogVersion + 1 });
    },

    takeResumedForm(key) {
      const { resumeForms, session } = get();
      if (!resumeForms || !session || resumeForms.userId !== session.user.id || !resumeForms.keys.has(key)) return false;
      const keys = new Set(resumeForms.keys);
      keys.delete(key);
      set({ resumeForms: keys.size > 0 ? { ...resumeForms, keys } : null });
      return true;
    },

    markUnsaved(key, unsaved) {
      const next = new Set(get().unsaved);
      if (unsaved) next.add(key);
      else next.delete(key);
      set({ unsaved: next });
    },

    markDraftFailing(key, failing) {
      if (get().draftFailing.has(key) === failing) return;
      const next = new Set(get().draftFailing);
      if (failing) next.add(key);
      else next.delete(key);
      set({ draftFailing: next });
    },

    onBeforeLock(fn) {
      set({ beforeLock: new Set(get().beforeLock).add(fn) });
      return () => {
        const next = new Set(get().beforeLock);
        next.delete(fn);
        set({ beforeLock: next });
      };
    },

    clearError() {
      set({ error: null });
    },
  };
});

/** Runs `work` once the browser is idle after the next paint (at most 1 s later), or soon in tests. */
function afterFirstPaint(work: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number }).requestIdleCallback;
  const raf = globalThis.requestAnimationFrame;
  if (typeof idle === 'function' && typeof raf === 'function') raf(() => idle(work, { timeout: 1000 }));
  else setTimeout(work, 0);
}

async function withTimeout(fn: BeforeLock, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(fn),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`beforeLock handler took longer than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
