/**
 * What the app shows about sync: a vanilla zustand store (no React here) the engine writes and the
 * status line and the sync settings read. Holds counts and names only, never records; reset on lock.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Role, StaffMember } from '../protocol/sync';
import type { SetAsideCounts } from '../vault/types';
import type { SyncProblemCode } from './client';
import type { ClockOffset } from './clock-offset';
import type { SyncEngine } from './engine';
import type { RunEvents } from './triggers';

export interface SyncProblem {
  readonly code: SyncProblemCode;
  /** Japanese, for the user */
  readonly message: string;
  /** the hub's own words, when it sent any */
  readonly serverMessage: string | null;
  /** a busy hub's Retry-After (503): when it asked to be tried again, in seconds */
  readonly retryAfterSeconds?: number;
  /**
   * For the admin, read out over the phone: what failed, as the app and the hub said it (the
   * request, its status, the hub's error code and detail: fields and ids, never a record's content).
   */
  readonly detail?: string;
  /** the hub's id of the failed request (問い合わせ番号), which its log line carries */
  readonly requestId?: string;
}

export interface SyncStatus {
  /** the engine of the unlocked session, or null while locked */
  readonly engine: SyncEngine | null;
  /** false: this device works alone (この端末のみ) */
  readonly joined: boolean;
  readonly signedOut: boolean;
  /** A8: the device is joined, but the unlocked user has never signed in on it (they do it once) */
  readonly needsSignIn: boolean;
  /** A9: the queue waits at a change by this person (a vault user's name) until they sign in here */
  readonly heldFor: string | null;
  /** A10: people the hub has stopped, taken off this phone by this session's runs (their names) */
  readonly stoppedRemoved: readonly string[];
  readonly hub: string | null;
  readonly loginName: string | null;
  readonly displayName: string | null;
  readonly role: Role | null;
  /**
   * A liaison's own facility, as the hub's last pull scoped the phone (null for any other role, and
   * before a pull under a liaison's scope: a colleague pulled last on a shared phone). 編集 and
   * 空床を報告 are offered on it alone: the hub refuses any other.
   */
  readonly facilityId: string | null;
  /** the unlocked user's id on the hub (their entry in `staff`), null when not signed in here */
  readonly hubUserId: string | null;
  readonly running: boolean;
  /** during a run: changes the hub took and records received so far */
  readonly progress: { readonly sent: number; readonly received: number } | null;
  /** changes waiting to be sent (refused ones not counted) */
  readonly pending: number;
  /** changes the hub refused: kept and listed for the user */
  readonly refused: number;
  readonly lastSyncAt: string | null;
  readonly openConflicts: number;
  /** evidence pulled with another hash than the one held here (the local entry was kept) */
  readonly evidenceMismatches: readonly string[];
  /** kinds of record the hub holds that this app does not know yet, so has not received [V2] */
  readonly unknownKinds: readonly string[];
  /** records pulled that this app cannot read, set aside by reason [R3] */
  readonly setAside: SetAsideCounts;
  readonly problem: SyncProblem | null;
  /**
   * The hub's users (names, roles and offices only), for picking a household's 担当 相談支援専門員;
   * null until the hub has answered (or when the device works alone).
   */
  readonly staff: readonly StaffMember[] | null;
  /**
   * How far this device's clock is from the hub's (端末の時計のずれ), as the last answer that told
   * the hub's time showed it; null until one has. Past CLOCK_WARNING_MS the app warns: the hub
   * refuses evidence dated too far past its own clock [E7]. Entries are still written here.
   */
  readonly clockOffset: ClockOffset | null;
  /** set once this device was retired and wiped: the app shows only that */
  readonly retired: { readonly serverMessage: string | null } | null;
}

export const initialSyncStatus: SyncStatus = {
  engine: null,
  joined: false,
  signedOut: false,
  needsSignIn: false,
  heldFor: null,
  stoppedRemoved: [],
  hub: null,
  loginName: null,
  displayName: null,
  role: null,
  facilityId: null,
  hubUserId: null,
  running: false,
  progress: null,
  pending: 0,
  refused: 0,
  lastSyncAt: null,
  openConflicts: 0,
  evidenceMismatches: [],
  unknownKinds: [],
  setAside: { total: 0, byReason: { id: 0, json: 0, shape: 0 } },
  problem: null,
  staff: null,
  clockOffset: null,
  retired: null,
};

export const syncStatus = createStore<SyncStatus>()(() => initialSyncStatus);

/**
 * Back to nothing known (on lock), keeping the retired notice, which outlives every session, and
 * the clock's offset: it is the phone's, not the person's, and the next person to unlock at a
 * handover is warned before their first entry, not only after their first sync (the next reading
 * replaces it).
 */
export function resetSyncStatus(): void {
  const { retired, clockOffset } = syncStatus.getState();
  syncStatus.setState({ ...initialSyncStatus, retired, clockOffset });
}

/**
 * Every run's start and end read off the status (running false → true, true → false), with the
 * busy hub's Retry-After the run ended with: the engine sets its problem before it clears
 * `running`, whoever asked for the run (triggers.ts brings the next run forward by it).
 */
export function runEventsOf(status: Pick<StoreApi<SyncStatus>, 'subscribe'>): RunEvents {
  return {
    subscribe: (listener) =>
      status.subscribe((state, before) => {
        if (!before.running && state.running) listener({ type: 'started' });
        if (before.running && !state.running) listener({ type: 'ended', retryAfterSeconds: state.problem?.retryAfterSeconds ?? null });
      }),
  };
}
