/**
 * The hub countersigns evidence (docs/sync-protocol.md K1-K7), over HTTP against a real PostgreSQL:
 * one phone pushes case entries and gets receipts; a replay gets the same ones; another phone pulls
 * the entries with their receipts; every receipt verifies against the key /api/hub-key hands out.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatFingerprint, HUB_KEY_PATH, importHubKey, RECEIPTS_HEADER, receiptStatementBytes, verifyReceipt, type EvidenceReceipt } from '../../src/protocol/countersign';
import { HubKeyInfo } from '../../src/protocol/countersign-schema';
import { API, PullResponse, PushResponse } from '../../src/protocol/sync';
import type { CaseEntry } from '../../src/domain/emergency-case';
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, heldAtTheCounter, householdWire, HUB, startApi, type ApiHarness, type TestUser } from './api-harness';
import { RESTORE_VERSION_GAP } from '../../src/server/db/epoch';
import { schemaTarget } from './schema-target';
import { generateHubKey, hubKeyFromEnv, newSigningKeyText } from '../../src/server/services/hub-key';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const ASK = { [RECEIPTS_HEADER]: '1' };

describe('countersigned evidence over HTTP (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  let entries: CaseEntry[];
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
    const by = { userId: coord.id, name: 'coord1 さん' };
    entries = await appendEntries([], [{ body: openBody({ officeId: 'office-a' }), at: '2026-11-30T11:50:00.000Z', by }, { body: contactBody(), at: '2026-11-30T11:55:00.000Z', by }], 'case-1');
  }, 60_000);
  afterEach(() => api.close());

  /** A phone that pushes and pulls asking for receipts. */
  async function phone(id: string): Promise<DeviceClient> {
    api.clock.advance(30_000); // a TOTP code is taken once: the next sign-in waits for the next one
    return new DeviceClient(api, id).join(coord);
  }
  const push = (d: DeviceClient, list: readonly CaseEntry[], wires = list.map(entryWire)) => {
    const numbered = wires.map((w, i) => ({ ...w, seq: d.nextSeq + i }));
    return d.request<PushResponse>('POST', API.push, { changes: numbered }, ASK).then((a) => {
      if (a.status === 200) d.nextSeq += list.length;
      return a;
    });
  };

  it('[K1][K3][K4] answers each accepted entry with a receipt over hub, case, entry, hash, position and time that verifies with the hub key', async () => {
    const a = await phone('device-1');
    const answer = await push(a, entries);
    expect(answer.status).toBe(200);
    expect(PushResponse.parse(answer.body).receipts).toHaveLength(2);
    const keyAnswer = await a.request('GET', HUB_KEY_PATH);
    expect(keyAnswer.status).toBe(200);
    const info = HubKeyInfo.parse(keyAnswer.body);
    expect(info).toMatchObject({ hub: HUB, algorithm: 'Ed25519', fingerprint: api.hubKey.fingerprint });
    const key = await importHubKey(info.publicKey);
    expect(key.fingerprint).toBe(info.fingerprint);

    const receipts = answer.body.receipts!;
    const held = await api.raw.query<{ id: string; version: string; received_at: Date }>('SELECT id, version, received_at FROM evidence ORDER BY version');
    for (const [i, entry] of entries.entries()) {
      const r = receipts.find((x) => x.entryId === entry.id)!;
      expect(r).toMatchObject({ hub: HUB, caseId: 'case-1', entryHash: entry.hash, keyFingerprint: info.fingerprint });
      // the accepted position is the change's version, the time the hub's own
      const result = answer.body.results[i]!;
      expect(result.status).toBe('accepted');
      expect(r.position).toBe((result as { version: number }).version);
      expect(r.receivedAt).toBe(held.rows[i]!.received_at.toISOString());
      expect(await verifyReceipt(r, key, entry)).toEqual({ ok: true });
    }
  });

  it('[K1] a receipt\'s time is when the hub took the entry, not when its push began: a push that waited at the counter is not dated before the one it waited for', async () => {
    const a = await phone('device-1');
    const held = await heldAtTheCounter(api, () => push(a, entries));
    // Whatever held the counter committed first, at the latest now: the waiting push comes after.
    const releasedAt = await held.holderNow();
    await held.release();
    const answer = await held.pushed;
    expect(answer.status).toBe(200);
    const receipts = PushResponse.parse(answer.body).receipts!;
    expect(receipts).toHaveLength(2);
    for (const r of receipts) expect(Date.parse(r.receivedAt)).toBeGreaterThanOrEqual(releasedAt.getTime());
    const stored = await api.raw.query<{ received_at: Date }>('SELECT received_at FROM evidence ORDER BY version');
    expect(stored.rows.map((r) => r.received_at.toISOString())).toEqual(receipts.map((r) => r.receivedAt));
  });

  it('a server given another signing key than the one the receipts were signed with does not start (PostgreSQL)', async () => {
    const a = await phone('device-1');
    expect((await push(a, entries)).status).toBe(200);
    await expect(hubKeyFromEnv({ KYOTEN_SIGNING_KEY: newSigningKeyText(), DATABASE_URL: url }, api.store)).rejects.toThrow(
      new RegExp(`receipts were signed with \\(${formatFingerprint(api.hubKey.fingerprint)}\\)`),
    );
    expect(await api.store.newestReceiptKey()).toBe(api.hubKey.fingerprint);
  });

  it('[K4] a replayed push, and the same entry pushed again under a new seq, get the same receipts, signed once', async () => {
    const a = await phone('device-1');
    const wires = entries.map(entryWire);
    const first = (await push(a, entries, wires)).body.receipts!;
    a.nextSeq -= entries.length; // the answer was lost: the same changes go again under the same seqs
    const replay = await push(a, entries, wires);
    expect(replay.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(replay.body.receipts).toEqual(first);
    const again = await push(a, entries.map((e) => ({ ...e })));
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.body.receipts).toEqual(first);
    expect((await api.raw.query('SELECT 1 FROM countersignatures')).rowCount).toBe(2);
  });

  it('[K4][S15] an entry sent again after a restore keeps the receipt it carries, when the hub key signed it over that entry at a position the restore left out; any other is signed anew', async () => {
    const a = await phone('device-1');
    // Receipts from before a restore, as the phone holds them: the hub's key over these entries.
    const before = (entry: CaseEntry, position: number, key = api.hubKey) => {
      const facts = { hub: HUB, caseId: 'case-1', entryId: entry.id, entryHash: entry.hash, position, receivedAt: '2026-11-30T12:00:00.123Z' };
      return { ...facts, keyFingerprint: key.fingerprint, signature: key.sign(receiptStatementBytes(facts)) };
    };
    const carry = (list: readonly CaseEntry[], receipts: readonly EvidenceReceipt[]) => {
      const numbered = list.map(entryWire).map((w, i) => ({ ...w, seq: a.nextSeq + i }));
      return a.request<PushResponse>('POST', API.push, { changes: numbered, receipts }, ASK).then((answer) => {
        if (answer.status === 200) a.nextSeq += list.length;
        return answer;
      });
    };
    /** Pushes `entry` carrying `carried`: the receipt the hub answers with, after which the entry is taken away again. */
    const answered = async (entry: CaseEntry, carried: EvidenceReceipt) => {
      const answer = await carry([entry], [carried]);
      expect(answer.status).toBe(200);
      expect(answer.body.results[0]).toMatchObject({ status: 'accepted' });
      const [receipt] = answer.body.receipts!;
      expect(await verifyReceipt(receipt!, await importHubKey(api.hubKey.publicKey), entry)).toEqual({ ok: true });
      // (undone, for the next carried receipt to meet the entry unheld)
      await api.raw.query('DELETE FROM countersignatures WHERE entry_id = $1', [entry.id]);
      await api.raw.query('DELETE FROM evidence WHERE id = $1', [entry.id]);
      return { receipt: receipt!, version: (answer.body.results[0] as { version: number }).version };
    };
    const [open, contact] = entries as [CaseEntry, CaseEntry];
    expect((await a.push([householdWire('hh-before')])).status).toBe(200);
    // No restore moved the counter on (a database put back by hand): a position above the head is
    // one this timeline will hand out, so the entry is signed anew.
    const byHand = await answered(open, before(open, 5));
    expect(byHand.receipt).not.toEqual(before(open, 5));
    expect(byHand.receipt.position).toBe(byHand.version);

    // The restore: floor at the head the database holds, the counter moved on past the lost versions.
    await api.store.renewEpoch();
    const { floor } = await api.store.hubEpoch(HUB);
    const kept = await carry([open], [before(open, floor + 3)]);
    expect(kept.body.receipts).toEqual([before(open, floor + 3)]);
    // Pulled by another phone: the same receipt, signed once.
    const b = await phone('device-2');
    const pulled = PullResponse.parse((await b.request<PullResponse>('GET', `${API.pull}?cursor=0&limit=100`, undefined, ASK)).body).receipts;
    expect(pulled).toEqual([before(open, floor + 3)]);

    // Another key's, another entry's (its hash), a position already named by a receipt, at or below
    // the floor, or past the gap: signed anew, at the version the entry was taken under.
    const other = generateHubKey();
    for (const carried of [
      before(contact, floor + 4, other),
      before({ ...contact, hash: open.hash }, floor + 5),
      before(contact, floor + 3),
      before(contact, floor),
      before(contact, floor + RESTORE_VERSION_GAP + 1),
    ]) {
      const { receipt, version } = await answered(contact, carried);
      expect(receipt).not.toEqual(carried);
      expect(receipt.position).toBe(version);
      expect(version).toBeGreaterThan(floor + RESTORE_VERSION_GAP);
    }
  });

  it('[K5] another phone pulls the entries with their receipts; a phone that does not ask gets the answer it always got', async () => {
    const a = await phone('device-1');
    const pushed = (await push(a, entries)).body.receipts!;
    const b = await phone('device-2');
    const page = await b.request<PullResponse>('GET', `${API.pull}?cursor=0&limit=100`, undefined, ASK);
    expect(page.status).toBe(200);
    const parsed = PullResponse.parse(page.body);
    expect(parsed.records.filter((r) => r.kind === 'case-entry')).toHaveLength(2);
    const byId = (list: readonly EvidenceReceipt[]) => [...list].sort((x, y) => x.position - y.position);
    expect(byId(parsed.receipts!)).toEqual(byId(pushed));
    const key = await importHubKey(api.hubKey.publicKey);
    for (const entry of entries) {
      expect(await verifyReceipt(parsed.receipts!.find((r) => r.entryId === entry.id)!, key, entry)).toEqual({ ok: true });
    }
    // An app from before receipts validates strictly: it is sent none.
    const old = await b.pull(0, 100);
    expect(old.body).not.toHaveProperty('receipts');
    const oldPush = await a.push([entryWire(entries[0]!)]);
    expect(oldPush.body).not.toHaveProperty('receipts');
  });

  it('[K3] a receipt with one changed byte of hash, time or position does not verify', async () => {
    const a = await phone('device-1');
    const [r] = (await push(a, entries.slice(0, 1))).body.receipts!;
    const key = await importHubKey(api.hubKey.publicKey);
    const flip = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
    const time = new Date(Date.parse(r!.receivedAt) + 1000).toISOString();
    for (const changed of [{ ...r!, entryHash: flip(r!.entryHash) }, { ...r!, receivedAt: time }, { ...r!, position: r!.position + 1 }]) {
      expect(await verifyReceipt(changed, key)).toMatchObject({ ok: false, problem: 'bad-signature' });
    }
  });

  it('[K6] the hub key needs the device and its session, like pull', async () => {
    expect((await new DeviceClient(api, 'device-9').request('GET', HUB_KEY_PATH)).status).toBe(403);
    const a = await phone('device-1');
    const secret = a.secret;
    a.secret = 'x'.repeat(43);
    expect((await a.request('GET', HUB_KEY_PATH)).status).toBe(403);
    a.secret = secret;
    a.cookie = undefined;
    expect((await a.request('GET', HUB_KEY_PATH)).status).toBe(401);
  });
});
