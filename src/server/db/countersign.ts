/**
 * The hub's receipts for evidence entries, in table `countersignatures` (migration 4): each entry
 * the hub holds is signed once, from what the hub recorded when it accepted it (the evidence row:
 * its case, hash, version and received_at), and the same receipt is handed out ever after [K4].
 *
 * Signing is not part of the push transaction: the receipt is made from the evidence row alone,
 * so an entry accepted but not yet signed (a crash between the two, or one accepted before this
 * migration) gets, when it is next asked for, exactly the receipt it would have got then.
 */
import type pg from 'pg';
import { RESTORE_VERSION_GAP } from './epoch';
import { receiptStatementBytes, type EvidenceReceipt } from '../../protocol/countersign';

/** Signs a statement with the hub's key (services/hub-key.ts). */
export interface ReceiptSigner {
  /** SHA-256 of the raw public key, hex */
  readonly fingerprint: string;
  /** Ed25519 signature, base64 */
  sign(statement: Uint8Array): string;
}

export interface CountersignStore {
  /**
   * Receipts for the evidence entries of `tenantId` named (ids the hub does not hold are left
   * out), signing with `signer` those not signed yet. One receipt per entry, whoever asks.
   */
  countersign(tenantId: string, entryIds: readonly string[], signer: ReceiptSigner): Promise<readonly EvidenceReceipt[]>;
  /** The receipts held for these entries, none signed here (the admin command checks an export against them). */
  heldReceipts(tenantId: string, entryIds: readonly string[]): Promise<readonly EvidenceReceipt[]>;
}

export interface SigningKeyStore {
  /**
   * The hub signing key kept in the database: `candidate` is stored if there is none yet, and the
   * one stored (this or another server's) is returned; with no candidate, null when there is none.
   */
  signingKey(candidate: string | null): Promise<string | null>;
  /**
   * The fingerprint of the key the newest receipt held here was signed with, or null when nothing
   * has been signed yet. The newest, not any: after a lost key was replaced (accepted once), the
   * old receipts stay, and the new key is the hub's from its first receipt on.
   */
  newestReceiptKey(): Promise<string | null>;
}

/**
 * Seals a value the database holds in clear (services/hub-key.ts binds each to its owner, as
 * secret-box.ts seals it): the signing key row, and a user's TOTP secret.
 */
export interface ClearSecretSeal {
  signingKey(clear: string): string;
  totpSecret(userId: string, clear: string): string;
}

/** How many values sealClearSecrets sealed. */
export interface SealedCount {
  /** 1 when the hub_signing_key row was sealed here, else 0 */
  readonly signingKey: number;
  readonly totpSecrets: number;
}

export interface ClearSecretStore {
  /**
   * Seals, in one transaction, what a start without KYOTEN_SECRET_KEY left in clear: the signing
   * key row and every user's TOTP secret. Each is written only while it still holds the clear value
   * read (compare-and-set), so two servers starting at once seal each value once, and a secret
   * reset meanwhile is not overwritten. Writes nothing when nothing is in clear.
   */
  sealClearSecrets(seal: ClearSecretSeal): Promise<SealedCount>;
}

type Queryable = Pick<pg.Pool, 'query'>;

interface ReceiptRow {
  entry_id: string;
  case_id: string;
  entry_hash: string;
  position: string;
  received_at: string;
  key_fingerprint: string;
  signature: string;
}

const COLUMNS = 'entry_id, case_id, entry_hash, position, received_at, key_fingerprint, signature';

const toReceipt = (tenantId: string, r: ReceiptRow): EvidenceReceipt => ({
  hub: tenantId,
  caseId: r.case_id,
  entryId: r.entry_id,
  entryHash: r.entry_hash,
  position: Number(r.position),
  receivedAt: r.received_at,
  keyFingerprint: r.key_fingerprint,
  signature: r.signature,
});

/** Receipts as the seven arrays the inserts unnest ($2 to $8: entry, case, hash, position, time, key, signature). */
function receiptArrays(receipts: readonly Omit<EvidenceReceipt, 'hub'>[]): unknown[][] {
  return [
    receipts.map((r) => r.entryId),
    receipts.map((r) => r.caseId),
    receipts.map((r) => r.entryHash),
    receipts.map((r) => r.position),
    receipts.map((r) => r.receivedAt),
    receipts.map((r) => r.keyFingerprint),
    receipts.map((r) => r.signature),
  ];
}

export async function countersign(db: Queryable, tenantId: string, entryIds: readonly string[], signer: ReceiptSigner): Promise<EvidenceReceipt[]> {
  const ids = [...new Set(entryIds)].filter((id) => !id.includes('\u0000'));
  if (ids.length === 0) return [];
  const held = await db.query<ReceiptRow>(`SELECT ${COLUMNS} FROM countersignatures WHERE tenant_id = $1 AND entry_id = ANY ($2::text[])`, [tenantId, ids]);
  const found = new Map(held.rows.map((r) => [r.entry_id, toReceipt(tenantId, r)]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const evidence = await db.query<{ id: string; case_id: string; hash: string; version: string; received_at: Date }>(
      'SELECT id, case_id, hash, version, received_at FROM evidence WHERE tenant_id = $1 AND id = ANY ($2::text[])',
      [tenantId, missing],
    );
    const made = evidence.rows.map((e) => {
      const facts = {
        hub: tenantId,
        caseId: e.case_id,
        entryId: e.id,
        entryHash: e.hash,
        position: Number(e.version),
        receivedAt: e.received_at.toISOString(),
      };
      return { ...facts, keyFingerprint: signer.fingerprint, signature: signer.sign(receiptStatementBytes(facts)) };
    });
    if (made.length > 0) {
      // Another server may sign the same entry at the same moment: the first receipt stored stands.
      await db.query(
        `INSERT INTO countersignatures (tenant_id, entry_id, case_id, entry_hash, position, received_at, key_fingerprint, signature)
         SELECT $1, t.e, t.c, t.h, t.p, t.r, t.k, t.s
           FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[]) AS t (e, c, h, p, r, k, s)
         ON CONFLICT (tenant_id, entry_id) DO NOTHING`,
        [tenantId, ...receiptArrays(made)],
      );
      const stored = await db.query<ReceiptRow>(`SELECT ${COLUMNS} FROM countersignatures WHERE tenant_id = $1 AND entry_id = ANY ($2::text[])`, [
        tenantId,
        made.map((m) => m.entryId),
      ]);
      for (const r of stored.rows) found.set(r.entry_id, toReceipt(tenantId, r));
    }
  }
  return ids.flatMap((id) => {
    const r = found.get(id);
    return r === undefined ? [] : [r];
  });
}

export async function heldReceipts(db: Queryable, tenantId: string, entryIds: readonly string[]): Promise<EvidenceReceipt[]> {
  const ids = entryIds.filter((id) => !id.includes('\u0000'));
  const rows = await db.query<ReceiptRow>(`SELECT ${COLUMNS} FROM countersignatures WHERE tenant_id = $1 AND entry_id = ANY ($2::text[]) ORDER BY position`, [
    tenantId,
    ids,
  ]);
  return rows.rows.map((r) => toReceipt(tenantId, r));
}

/**
 * [K4][S15] Keeps, in place of signing anew, receipts a device carried for entries it sent again
 * after the hub's database was restored (the caller has checked each against the hub key). One is
 * kept only for an entry held with its case and hash and not signed yet, in the transaction that
 * wrote the entry (no pull can sign it anew first), and only at a position the restore left out:
 * above the floor, the head the backup held, and not past the versions the restore moved the
 * counter over (RESTORE_VERSION_GAP), which this timeline never hands out; nor where another
 * receipt of the hub already stands (a second restore of an older backup). A database put back by
 * hand moved no counter on: nothing is kept there, every entry is signed anew. Returns how many
 * were kept.
 */
export async function adoptReceipts(db: Queryable, tenantId: string, receipts: readonly EvidenceReceipt[]): Promise<number> {
  if (receipts.length === 0) return 0;
  const kept = await db.query(
    `WITH gap AS (
       SELECT f.floor FROM (SELECT coalesce((floors ->> $1)::bigint, 0) AS floor FROM hub_epoch) f
        WHERE (SELECT version FROM sync_heads WHERE tenant_id = $1) >= f.floor + $9)
     INSERT INTO countersignatures (tenant_id, entry_id, case_id, entry_hash, position, received_at, key_fingerprint, signature)
     SELECT $1, t.e, t.c, t.h, t.p, t.r, t.k, t.s
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[]) AS t (e, c, h, p, r, k, s)
       JOIN gap ON t.p > gap.floor AND t.p <= gap.floor + $9
       JOIN evidence e ON e.tenant_id = $1 AND e.id = t.e AND e.case_id = t.c AND e.hash = t.h
      WHERE NOT EXISTS (SELECT 1 FROM countersignatures c WHERE c.tenant_id = $1 AND c.position = t.p)
     ON CONFLICT (tenant_id, entry_id) DO NOTHING`,
    [tenantId, ...receiptArrays(receipts), RESTORE_VERSION_GAP],
  );
  return kept.rowCount ?? 0;
}

export async function newestReceiptKey(db: Queryable): Promise<string | null> {
  const rows = await db.query<{ key_fingerprint: string }>('SELECT key_fingerprint FROM countersignatures ORDER BY signed_at DESC, position DESC LIMIT 1');
  return rows.rows[0]?.key_fingerprint ?? null;
}

export async function signingKey(db: Queryable, candidate: string | null): Promise<string | null> {
  if (candidate !== null) {
    await db.query('INSERT INTO hub_signing_key (only_row, private_key) VALUES (true, $1) ON CONFLICT (only_row) DO NOTHING', [candidate]);
  }
  return (await db.query<{ private_key: string }>('SELECT private_key FROM hub_signing_key')).rows[0]?.private_key ?? null;
}

/**
 * The signing key row when it is held in clear ('v1:' begins a sealed value, services/secret-box.ts),
 * or null; with `lock`, the row stays locked till the transaction ends.
 */
export async function clearSigningKey(db: Queryable, lock: boolean): Promise<string | null> {
  const rows = await db.query<{ private_key: string }>(`SELECT private_key FROM hub_signing_key WHERE private_key NOT LIKE 'v1:%'${lock ? ' FOR UPDATE' : ''}`);
  return rows.rows[0]?.private_key ?? null;
}

/** Compare-and-set: stores `sealed` only while the row still holds `clear`; whether it did. */
export async function resealSigningKey(db: Queryable, clear: string, sealed: string): Promise<boolean> {
  const done = await db.query('UPDATE hub_signing_key SET private_key = $2 WHERE private_key = $1', [clear, sealed]);
  return done.rowCount === 1;
}
