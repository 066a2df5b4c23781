/**
 * The device's side of the hub's countersignatures [K5]-[K7]: which receipts to keep (those that
 * verify against the hub key taken at join), and what each entry's status is for the screens, the
 * report and the CSV. A vanilla zustand store (no React) holds the key and the receipts of the
 * unlocked session; the screens check the receipts of what they show against the key again, so a
 * receipt changed in storage is shown as not matching, never as signed.
 */
import { createStore } from 'zustand/vanilla';
import { importHubKey, verifyReceipt, type EvidenceReceipt, type HubKeyInfo, type HubVerifyKey } from '../protocol/countersign';
import type { CountersignLookup, EntryCountersign } from '../domain/countersign-status';
import type { CaseEntry } from '../domain/emergency-case';

export interface CountersignState {
  /**
   * false until the sync engine of this session has read the hub link and the receipts kept: until
   * then nothing is said about any entry (a joined device would read as この端末のみ).
   */
  readonly loaded: boolean;
  /** false: this device has no hub (この端末のみ) */
  readonly joined: boolean;
  /** the hub's key as taken at join; null while not known (not joined, or not fetched yet) */
  readonly hubKey: HubKeyInfo | null;
  /** by entry id, as kept in the vault */
  readonly receipts: ReadonlyMap<string, EvidenceReceipt>;
  /**
   * Receipts the hub sent this session that did not verify against the key taken at join (not
   * kept): the hub's key changed, or something between rewrote them. The sync settings say so.
   */
  readonly rejected: number;
  /**
   * This browser's WebCrypto has no Ed25519 (Safari before 17, Chrome before 137): the hub's key and
   * receipts cannot be checked, so none is kept and entries read 未署名; syncing goes on.
   */
  readonly noEd25519: boolean;
}

export const initialCountersignState: CountersignState = { loaded: false, joined: false, hubKey: null, receipts: new Map(), rejected: 0, noEd25519: false };

export const countersignState = createStore<CountersignState>()(() => initialCountersignState);

export function resetCountersignState(): void {
  countersignState.setState(initialCountersignState, true);
}

const imported = new Map<string, Promise<HubVerifyKey>>();

/** The WebCrypto key of a hub key, imported once per public key. */
export function verifyKeyOf(info: HubKeyInfo): Promise<HubVerifyKey> {
  let key = imported.get(info.publicKey);
  if (key === undefined) {
    key = importHubKey(info.publicKey).then((k) => {
      if (k.fingerprint !== info.fingerprint) throw new RangeError('countersign: the hub key does not match its fingerprint');
      return k;
    });
    key.catch(() => imported.delete(info.publicKey));
    imported.set(info.publicKey, key);
  }
  return key;
}

/** [K5] The receipts of a hub answer that verify against the key held and are for this hub; the rest are dropped. */
export async function goodReceipts(receipts: readonly EvidenceReceipt[], hub: string, info: HubKeyInfo | null | undefined): Promise<EvidenceReceipt[]> {
  if (receipts.length === 0 || info === null || info === undefined) return [];
  const key = await verifyKeyOf(info);
  const checks = await Promise.all(receipts.map((r) => (r.hub === hub ? verifyReceipt(r, key) : Promise.resolve({ ok: false }))));
  return receipts.filter((_, i) => checks[i]!.ok);
}

/**
 * [K6] Each entry's countersign status: a receipt held for it that verifies against the hub key
 * and names the entry's own hash; pending without one; this device only without a hub.
 */
/**
 * A receipt's check, kept with the receipt for the key and the entry it was made for: each page a
 * sync brings makes a new map of receipts, and the screens open checked every entry's signature
 * again (thousands of Ed25519 checks per page on the claims screen after some years).
 */
const checks = new WeakMap<EvidenceReceipt, { readonly for: string; readonly check: Promise<Awaited<ReturnType<typeof verifyReceipt>>> }>();

function verifiedOnce(r: EvidenceReceipt, key: HubVerifyKey, e: CaseEntry): Promise<Awaited<ReturnType<typeof verifyReceipt>>> {
  const of = `${key.fingerprint}\u0000${e.id}\u0000${e.hash}`;
  const kept = checks.get(r);
  if (kept?.for === of) return kept.check;
  const check = verifyReceipt(r, key, { id: e.id, hash: e.hash });
  checks.set(r, { for: of, check });
  return check;
}

export async function entryCountersigns(entries: readonly CaseEntry[], state: Pick<CountersignState, 'joined' | 'hubKey' | 'receipts'>): Promise<Map<string, EntryCountersign>> {
  const out = new Map<string, EntryCountersign>();
  if (!state.joined && state.receipts.size === 0) {
    for (const e of entries) out.set(e.id, { status: 'device-only' });
    return out;
  }
  const key = state.hubKey === null ? null : await verifyKeyOf(state.hubKey).catch(() => null);
  await Promise.all(
    entries.map(async (e) => {
      const r = state.receipts.get(e.id);
      if (r === undefined || key === null) {
        out.set(e.id, { status: 'pending' });
        return;
      }
      const check = await verifiedOnce(r, key, e);
      out.set(
        e.id,
        check.ok
          ? { status: 'countersigned', hub: r.hub, position: r.position, receivedAt: r.receivedAt, keyFingerprint: r.keyFingerprint, signature: r.signature }
          : { status: 'invalid', problem: check.problem === 'hash-differs' ? '記録のハッシュと署名のハッシュが違います' : '署名を確かめられません' },
      );
    }),
  );
  return out;
}

/**
 * A lookup for the CSV and the report: an entry not in the map is pending (or this device only),
 * unless the hub refused it for good (`refused`, by entry id: its reason in words). A receipt that
 * verifies wins over a refusal.
 */
export function lookupOf(checked: ReadonlyMap<string, EntryCountersign>, joined: boolean, refused: ReadonlyMap<string, string> = new Map()): CountersignLookup {
  return (entryId) => {
    const held = checked.get(entryId);
    if (held?.status === 'countersigned' || held?.status === 'invalid') return held;
    const reason = refused.get(entryId);
    if (reason !== undefined) return { status: 'refused', reason };
    return held ?? (joined ? { status: 'pending' } : { status: 'device-only' });
  };
}
