/**
 * A phone in the fault test that runs the app's own code: the vault (Dexie over fake IndexedDB,
 * sealed with WebCrypto) and the sync engine (src/sync/engine.ts), talking to the hub through the
 * fault proxy with a cookie jar of its own. What the app's screens would do is done here directly:
 * the next case entry after what this phone holds (as appendCaseEntry does), a household edit.
 * Every write is remembered, to check afterwards that nothing was lost, doubled or altered.
 */
import { createStore } from 'zustand/vanilla';
import { appendNext, heldCase } from '../../factories/case-append';
import type { CaseEntry, EntryBody } from '../../../src/domain/emergency-case';
import type { Household } from '../../../src/domain/household';
import type { FetchLike } from '../../../src/sync/client';
import { createSyncEngine, type RunOutcome, type SyncEngine } from '../../../src/sync/engine';
import { initialCountersignState, type CountersignState } from '../../../src/sync/countersign';
import { initialSyncStatus, type SyncStatus } from '../../../src/sync/status';
import { setUpTestVault } from '../../../src/vault/testing';
import type { VaultSession } from '../../../src/vault/types';
import { isVaultError } from '../../../src/vault/errors';

export interface AppCredentials {
  readonly hub: string;
  readonly loginName: string;
  readonly password: string;
  readonly totp: () => string;
}

/** fetch with a cookie jar, as a browser tab of the app would send it to the hub. */
function browserFetch(baseUrl: () => string): FetchLike {
  let cookie = '';
  return async (input, init) => {
    const headers = new Headers(init.headers);
    if (cookie !== '') headers.set('cookie', cookie);
    const response = await fetch(`${baseUrl()}${input}`, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set !== null) cookie = set.split(';')[0]!;
    return response;
  };
}

export class AppDevice {
  /** entry id → the JSON text this phone wrote */
  readonly evidence = new Map<string, string>();
  /** household id → the household as this phone last saved it */
  readonly households = new Map<string, Household>();
  outcomes: Record<RunOutcome, number> = { done: 0, failed: 0, busy: 0, 'not-joined': 0, locked: 0, retired: 0 };
  wiped = false;

  private constructor(
    readonly label: string,
    readonly session: VaultSession,
    readonly engine: SyncEngine,
  ) {}

  static async create(label: string, baseUrl: () => string): Promise<AppDevice> {
    const { session } = await setUpTestVault();
    const engine = createSyncEngine({
      session,
      fetch: browserFetch(baseUrl),
      locks: null,
      status: createStore<SyncStatus>()(() => initialSyncStatus),
      onRecordsChanged: async () => undefined,
      forgetInstall: async () => undefined,
      // Each phone its own receipts, as each app has (the module's one would be shared by all).
      countersign: createStore<CountersignState>()(() => initialCountersignState),
    });
    return new AppDevice(label, session, engine);
  }

  get deviceId(): string {
    return this.session.deviceId;
  }

  async join(c: AppCredentials): Promise<void> {
    const outcome = await this.engine.join({ hub: c.hub, loginName: c.loginName, password: c.password, totp: c.totp(), deviceName: this.label });
    if (outcome !== 'done') throw new Error(`${this.label}: first sync ${outcome}`);
  }

  caseEntries(caseId: string): Promise<CaseEntry[]> {
    return heldCase(this.session, caseId);
  }

  /** Entries the phone refused because the hub stopped it (it sends what it holds and wipes): never written, so never evidence. */
  refusedWhileRetiring = 0;

  /**
   * The next entry of the case after what this phone holds (appendCaseEntry without the screens);
   * null when the phone refused it because the hub stopped it, as the app says so to its user.
   */
  async append(caseId: string, body: EntryBody): Promise<CaseEntry | null> {
    let entry: CaseEntry;
    try {
      entry = await appendNext(this.session, caseId, body);
    } catch (e) {
      if (isVaultError(e, 'retiring')) {
        this.refusedWhileRetiring += 1;
        return null;
      }
      throw e;
    }
    this.evidence.set(entry.id, JSON.stringify(entry));
    return entry;
  }

  async saveHousehold(household: Household, op: 'create' | 'update'): Promise<void> {
    await this.session.put('household', household.id, household, op);
    this.households.set(household.id, household);
  }

  async household(id: string): Promise<Household | undefined> {
    return (await this.session.get<Household>('household', id))?.data;
  }

  async sync(): Promise<RunOutcome> {
    if (this.wiped) return 'retired';
    const outcome = await this.engine.run();
    this.outcomes[outcome] += 1;
    if (outcome === 'retired') this.wiped = true;
    return outcome;
  }

  async queued(): Promise<number> {
    return this.wiped ? 0 : (await this.session.outbox()).length;
  }
}
