/**
 * The one contract every Store implementation passes (STYLE.md habit 5). Each test names the rule
 * of docs/hub-server.md it checks. A target gives a fresh, empty store per test and raw SQL on the
 * same database, for the tests that must hold a transaction open themselves.
 */
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/server/db/migrate';
import { MIGRATIONS } from '../../src/server/db/migrations/index';
import { StoreError, type ChangeResult, type PushedChange, type Store } from '../../src/server/db/store';
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import type { CaseEntry } from '../../src/domain/emergency-case';
import { createFacility } from '../factories/facility';
import { createHousehold } from '../factories/household';
import { caseEntries, entryFrom, evidenceChange, householdChange, OFFICE_A, OFFICE_B, seedHub, TENANT, type Hub } from './factories';
import { orderEntries, sealEntry, verifyChain } from '../../src/domain/case-chain';

export interface ContractTarget {
  /** A new store over an empty database (or schema); `raw` is a pool on the same one. */
  fresh(): Promise<{ store: Store; raw: pg.Pool; reopen(): Promise<Store> }>;
}

const ALL = { tenantId: TENANT, officeIds: 'all' as const };

export function storeContract(name: string, target: ContractTarget): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let raw: pg.Pool;
    let reopen: () => Promise<Store>;
    let hub: Hub;
    const others: Store[] = [];

    beforeEach(async () => {
      ({ store, raw, reopen } = await target.fresh());
      await store.migrate();
      hub = await seedHub(store, 4);
    });
    afterEach(async () => {
      await Promise.all(others.splice(0).map((s) => s.close()));
      await store.close();
      await raw.end();
    });

    const dev = (i: number) => hub.devices[i]!;
    const push = (i: number, changes: PushedChange[]) => store.applyPush(dev(i).deviceId, dev(i).userId, changes);
    const head = async () => (await store.health()).headVersion;
    const statuses = (results: readonly ChangeResult[]) => results.map((r) => r.status);
    async function drain(cursor = 0, limit = 1000, scope: Parameters<Store['pullSince']>[1] = ALL) {
      const records = [];
      for (;;) {
        const page = await store.pullSince(cursor, scope, limit);
        records.push(...page.records);
        cursor = page.cursor;
        if (!page.hasMore) return { records, cursor };
      }
    }

    describe('[S1] migrations', () => {
      it('[S1] are recorded, and running them again (or from a second server) applies nothing', async () => {
        expect(await store.migrate()).toEqual({ applied: [], schemaVersion: Math.max(...MIGRATIONS.map((m) => m.version)) });
        const second = await reopen();
        others.push(second);
        expect(await second.migrate()).toEqual({ applied: [], schemaVersion: Math.max(...MIGRATIONS.map((m) => m.version)) });
        const rows = await raw.query('SELECT version, name FROM schema_migrations ORDER BY version');
        expect(rows.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
        expect((await store.health()).ok).toBe(true);
      });

      it('[S1] a failing migration leaves the schema as it was', async () => {
        const broken = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT 1/0;' }];
        await expect(migrate(raw, broken)).rejects.toThrow(/division by zero/);
        expect((await raw.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t).toBeNull();
        expect((await store.health()).schemaVersion).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      });

      it('[S1] a server older than its database refuses to start', async () => {
        await raw.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
        await expect(store.migrate()).rejects.toMatchObject({ code: 'schema-too-new' });
      });
    });

    describe('[S2] one version counter per hub, taken in the committing transaction', () => {
      it('[S2] concurrent pushes get strictly increasing versions with no hole, and a puller running alongside misses none', async () => {
        const perDevice = 15;
        const batch = 4;
        const seen: number[] = [];
        let pushing = true;
        let cursor = 0;
        const puller = (async () => {
          while (pushing) {
            const page = await store.pullSince(cursor, ALL, 7);
            seen.push(...page.records.map((r) => r.version));
            cursor = page.cursor;
            if (!page.hasMore) await new Promise((r) => setTimeout(r, 1));
          }
        })();
        await Promise.all(
          hub.devices.map(async (_, i) => {
            for (let b = 0; b < perDevice; b++) {
              const changes = Array.from({ length: batch }, (_, k) =>
                householdChange(b * batch + k + 1, { entityId: `hh-d${i}-${b * batch + k}` }),
              );
              const results = await push(i, changes);
              expect(statuses(results)).toEqual(changes.map(() => 'accepted'));
            }
          }),
        );
        pushing = false;
        await puller;
        const rest = await drain(cursor, 7);
        seen.push(...rest.records.map((r) => r.version));
        const total = hub.devices.length * perDevice * batch;
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        const log = await raw.query('SELECT count(*)::int AS n, min(version)::int AS lo, max(version)::int AS hi FROM changes');
        expect(log.rows[0]).toEqual({ n: total, lo: 1, hi: total });
      });

      it('[S2] a push waits for an open transaction holding its hub\'s counter; after its rollback the push takes the next version, with no hole', async () => {
        await push(0, [householdChange(1)]);
        const holder = await raw.connect();
        try {
          const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          await holder.query('BEGIN');
          await holder.query('UPDATE sync_heads SET version = version + 1 WHERE tenant_id = $1', [TENANT]);
          let settled = false;
          const pending = push(1, [householdChange(1, { entityId: 'hh-late' })]).finally(() => (settled = true));
          // the push is seen waiting on the holder's lock (not a fixed wait, which a busy machine can outlast)
          const blocked = async () => (await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid])).rows[0]!.n;
          await expect.poll(blocked, { timeout: 30_000 }).toBeGreaterThan(0);
          expect(settled).toBe(false);
          expect((await store.pullSince(1, ALL, 10)).records).toEqual([]);
          await holder.query('ROLLBACK');
          expect(await pending).toMatchObject([{ status: 'accepted', version: 2 }]);
        } finally {
          holder.release();
        }
        expect((await drain()).records.map((r) => r.version)).toEqual([1, 2]);
      });

      it('[S2] a push of another hub does not wait for a transaction holding this hub\'s counter, and each hub counts its own versions', async () => {
        await push(0, [householdChange(1)]);
        await store.createTenant({ id: 'hub-kashiwa', name: '柏市 地域生活支援拠点' });
        await store.createOffice({ id: 'office-k', tenantId: 'hub-kashiwa', name: '相談支援事業所 かしわ' });
        await store.createUser({ id: 'user-k', tenantId: 'hub-kashiwa', role: 'coordinator', loginName: 'coordk', displayName: '柏 夜勤' });
        await store.registerDevice({ id: 'device-k', userId: 'user-k', name: 'iPhone K' });
        const holder = await raw.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('UPDATE sync_heads SET version = version + 1 WHERE tenant_id = $1', [TENANT]);
          // Would hang (and time the test out) if hubs still shared one counter row.
          const other = await store.applyPush('device-k', 'user-k', [householdChange(1, { entityId: 'hh-k', officeId: 'office-k' })]);
          expect(other).toMatchObject([{ status: 'accepted', version: 1 }]);
          expect((await store.pullSince(0, { tenantId: 'hub-kashiwa', officeIds: 'all' }, 10)).records.map((r) => r.entityId)).toEqual(['hh-k']);
        } finally {
          await holder.query('ROLLBACK');
          holder.release();
        }
        expect(await push(1, [householdChange(1, { entityId: 'hh-after' })])).toMatchObject([{ status: 'accepted', version: 2 }]);
        expect((await drain()).records.map((r) => r.entityId)).toEqual(['hh-1', 'hh-after']);
      });

      it('[S2] paging by cursor hands out every record exactly once, and a later edit again at its new version', async () => {
        await push(0, Array.from({ length: 23 }, (_, i) => householdChange(i + 1)));
        const first = await drain(0, 5);
        expect(first.records.map((r) => r.entityId).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `hh-${i + 1}`).sort());
        expect(first.cursor).toBe(23);
        expect(await store.pullSince(first.cursor, ALL, 5)).toEqual({ records: [], cursor: 23, hasMore: false });
        await push(1, [householdChange(1, { entityId: 'hh-7', op: 'update' })]);
        const next = await drain(first.cursor, 5);
        expect(next.records).toMatchObject([{ entityId: 'hh-7', version: 24 }]);
        expect((await drain()).records).toHaveLength(23);
      });
    });

    describe('[S3] device order', () => {
      it('[S3] a gap refuses that change and every later one of the push, retryable; they are taken once the missing one arrives', async () => {
        const changes = [1, 2, 3, 4].map((seq) => householdChange(seq));
        expect(statuses(await push(0, [changes[0]!]))).toEqual(['accepted']);
        const gapped = await push(0, [changes[2]!, changes[3]!]);
        expect(gapped).toMatchObject([
          { seq: 3, status: 'refused', reason: 'gap', retryable: true },
          { seq: 4, status: 'refused', reason: 'gap', retryable: true },
        ]);
        expect(await head()).toBe(1);
        const healed = await push(0, changes.slice(1));
        expect(healed).toMatchObject([
          { seq: 2, status: 'accepted', version: 2 },
          { seq: 3, status: 'accepted', version: 3 },
          { seq: 4, status: 'accepted', version: 4 },
        ]);
        expect(await store.listRefusals(TENANT)).toEqual([]);
      });
    });

    describe('[A11] refused writes', () => {
      it("[A11] a duplicate or a dangling reference is refused by its constraint, never in PostgreSQL's words, which quote the values", async () => {
        await store.createTenant({ id: 'hub-secret-name', name: '重複する拠点' });
        const twice = await store.createTenant({ id: 'hub-secret-name', name: '重複する拠点' }).catch((e: unknown) => e);
        expect(twice).toBeInstanceOf(StoreError);
        expect(twice).toMatchObject({ code: 'exists', message: expect.stringContaining('SQLSTATE 23505') });
        expect((twice as Error).message).not.toContain('hub-secret-name');
        const dangling = await store.createOffice({ id: 'office-x', tenantId: 'hub-nowhere-secret', name: 'どこにもない拠点の事業所' }).catch((e: unknown) => e);
        expect(dangling).toMatchObject({ code: 'not-found', message: expect.stringContaining('SQLSTATE 23503') });
        expect((dangling as Error).message).not.toContain('hub-nowhere-secret');
      });
    });

    describe('[S4] retries', () => {
      it('[S4] the same push again changes nothing and answers with the original versions', async () => {
        const changes = [1, 2, 3].map((seq) => householdChange(seq));
        const first = await push(0, changes);
        const again = await push(0, changes);
        expect(again).toEqual(first.map((r) => ({ ...r, status: 'duplicate' })));
        expect(await head()).toBe(3);
      });

      it('[S4] a long push sent again after its answer was lost gets each change its own first answer, whatever came between', async () => {
        const changes = Array.from({ length: 300 }, (_, i) => householdChange(i + 1));
        const first = await push(0, changes);
        await push(0, [householdChange(301)]);
        const again = await push(0, [...changes, householdChange(302)]);
        expect(again.slice(0, 300)).toEqual(first.map((r) => ({ ...r, status: 'duplicate' })));
        expect(again[300]).toMatchObject({ status: 'accepted', version: 302 });
        expect(await head()).toBe(302);
      });

      it('[S4] the same push sent twice at once is taken once', async () => {
        const changes = [1, 2, 3].map((seq) => householdChange(seq));
        const [a, b] = await Promise.all([push(0, changes), push(0, changes)]);
        expect([...statuses(a), ...statuses(b)].sort()).toEqual(['accepted', 'accepted', 'accepted', 'duplicate', 'duplicate', 'duplicate']);
        expect(await head()).toBe(3);
      });

      it('[S4] a seq reused by another mutation is refused, the first one stands', async () => {
        await push(0, [householdChange(1)]);
        expect(await push(0, [householdChange(1, { entityId: 'hh-other' })])).toMatchObject([
          { status: 'refused', reason: 'seq-conflict', retryable: false },
        ]);
        expect((await drain()).records.map((r) => r.entityId)).toEqual(['hh-1']);
      });

      it('[S4][K4] a taken seq sent again with its mutation id but naming another record is refused, not answered as the first', async () => {
        const change = householdChange(1);
        await push(0, [change]);
        expect(await push(0, [change])).toMatchObject([{ status: 'duplicate' }]);
        expect(await push(0, [{ ...change, entityId: 'hh-not-mine' }])).toMatchObject([{ status: 'refused', reason: 'seq-conflict', retryable: false }]);
        expect((await drain()).records.map((r) => r.entityId)).toEqual(['hh-1']);
      });

      it('[S4] a retried refusal gets the same refusal, and a retried push after a partial answer only adds what is new', async () => {
        const bad = householdChange(2, { kind: 'nonsense' as never });
        const first = await push(0, [householdChange(1), bad]);
        expect(first).toMatchObject([{ status: 'accepted' }, { status: 'refused', reason: 'invalid' }]);
        const again = await push(0, [bad, householdChange(3)]);
        expect(again).toMatchObject([{ status: 'refused', reason: 'invalid' }, { status: 'accepted', version: 2 }]);
        expect(await store.listRefusals(TENANT)).toHaveLength(1);
      });
    });

    describe('[S5] mutation ids', () => {
      it('[S5] the same mutation pushed again from another device (a restored backup) is a duplicate', async () => {
        const change = householdChange(1);
        const [original] = await push(0, [change]);
        expect(await push(1, [{ ...change, seq: 1 }])).toEqual([{ ...original, status: 'duplicate' }]);
        expect(statuses(await push(1, [householdChange(2)]))).toEqual(['accepted']);
      });

      it('[S5] the same mutation id with other content is refused', async () => {
        const change = householdChange(1);
        await push(0, [change]);
        expect(await push(1, [{ ...change, payload: { ...(change.payload as object), note: 'forged' } }])).toMatchObject([
          { status: 'refused', reason: 'mutation-conflict' },
        ]);
      });
    });

    describe('[S6]-[S8] evidence', () => {
      it('[S7] the same entry (same id, same hash) from any device is acknowledged again with its version', async () => {
        const [open] = await caseEntries('case-1', 1);
        const [first] = await push(0, [evidenceChange(1, open!)]);
        expect(first).toMatchObject({ status: 'accepted', version: 1 });
        expect(await push(0, [evidenceChange(2, open!)])).toMatchObject([{ status: 'duplicate', version: 1 }]);
        expect(await push(1, [evidenceChange(1, open!)])).toMatchObject([{ status: 'duplicate', version: 1 }]);
        expect(await head()).toBe(1);
      });

      it('[S7] an entry with a held id but another hash is refused and reported; the held one is unchanged', async () => {
        const [open] = await caseEntries('case-1', 1);
        // the same id, written again with other content (a device that rebuilt its chain)
        const [forged] = await appendEntries([], [openBody({ detail: '別の内容' })], 'case-1');
        expect(forged!.id).toBe(open!.id);
        expect(forged!.hash).not.toBe(open!.hash);
        await push(0, [evidenceChange(1, open!)]);
        const refused = await push(1, [evidenceChange(1, forged!), householdChange(2)]);
        expect(refused).toMatchObject([{ status: 'refused', reason: 'evidence-conflict', retryable: false }, { status: 'accepted' }]);
        const report = await store.listRefusals(TENANT);
        expect(report).toMatchObject([{ deviceId: dev(1).deviceId, seq: 1, reason: 'evidence-conflict', entityId: open!.id }]);
        expect(JSON.parse(report[0]!.payloadJson)).toEqual(forged);
        const held = (await drain()).records.find((r) => r.kind === 'case-entry');
        expect(held?.payloadJson).toBe(JSON.stringify(open));
      });

      it('[S8] an entry altered on the way (hash kept, content changed) is refused; so is one with unknown fields', async () => {
        const [open, contact] = await caseEntries('case-1', 2);
        const altered = { ...contact!, body: { ...contact!.body, note: '書き換え' } };
        const results = await push(0, [evidenceChange(1, open!), evidenceChange(2, altered), evidenceChange(3, { ...contact!, extra: 1 } as never)]);
        expect(results).toMatchObject([
          { status: 'accepted' },
          { status: 'refused', reason: 'hash-mismatch' },
          { status: 'refused', reason: 'invalid' },
        ]);
      });

      it('[S6] evidence is append-only, and only append-only kinds take append', async () => {
        const [open] = await caseEntries('case-1', 1);
        const results = await push(0, [
          evidenceChange(1, open!),
          evidenceChange(2, open!, { op: 'update' }),
          householdChange(3, { op: 'append' }),
          householdChange(4, { kind: 'access', op: 'withdraw' }),
        ]);
        expect(statuses(results)).toEqual(['accepted', 'refused', 'refused', 'refused']);
        expect(results.slice(1)).toMatchObject([{ reason: 'append-only' }, { reason: 'append-only' }, { reason: 'append-only' }]);
      });

      it('[S6] a 請求済み (month-close) record is written once: the same again is a duplicate, other content under its id is refused', async () => {
        const record = {
          id: 'close-1',
          officeId: OFFICE_A,
          month: '2026-11',
          recordedAt: '2026-12-08T01:00:00.000Z',
          recordedBy: { userId: dev(0).userId, name: '鈴木 主任' },
          deviceId: dev(0).deviceId,
          body: { type: 'cancel', cancels: 'close-0', reason: '別の月を誤って請求済みにした' },
        };
        const change = (seq: number, payload: unknown) => householdChange(seq, { kind: 'month-close', op: 'append', entityId: 'close-1', payload: payload as PushedChange['payload'] });
        const [first] = await push(0, [change(1, record)]);
        expect(first).toMatchObject({ status: 'accepted' });
        const later = await push(1, [change(1, record), change(2, { ...record, body: { ...record.body, reason: '書き換え' } })]);
        expect(later).toMatchObject([{ status: 'duplicate', version: (first as { version: number }).version }, { status: 'refused', reason: 'append-only' }]);
        const { records } = await drain();
        expect(records.filter((r) => r.kind === 'month-close').map((r) => (JSON.parse(r.payloadJson) as typeof record).body.reason)).toEqual(['別の月を誤って請求済みにした']);
      });

      it('[S6] a whole case chain arrives in order and is pulled back byte for byte', async () => {
        const entries = await caseEntries('case-9', 6);
        await push(0, entries.map((e, i) => evidenceChange(i + 1, e)));
        const pulled = (await drain()).records.filter((r) => r.kind === 'case-entry').map((r) => r.payloadJson);
        expect(pulled).toEqual(entries.map((e) => JSON.stringify(e)));
      });
    });

    describe('[E1]-[E7] evidence links into its case, from the one who pushes it', () => {
      const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

      it('[E2][E3] two devices continuing one case after the same entry are both taken, and the case verifies as one', async () => {
        const [open, first] = await caseEntries('case-c', 2);
        await push(0, [evidenceChange(1, open!), evidenceChange(2, first!)]);
        const fromA = await entryFrom([open!, first!], contactBody({ facilityName: 'A園', result: '受入不可' }), dev(0));
        const fromB = await entryFrom([open!, first!], contactBody({ facilityName: 'B園', result: '受入可' }), dev(1));
        expect(fromA.prevHash).toBe(fromB.prevHash);
        expect(fromA.index).toBe(fromB.index);
        expect(statuses(await push(1, [evidenceChange(1, fromB)]))).toEqual(['accepted']);
        expect(statuses(await push(0, [evidenceChange(3, fromA)]))).toEqual(['accepted']);
        const held = (await drain()).records.filter((r) => r.kind === 'case-entry').map((r) => JSON.parse(r.payloadJson) as CaseEntry);
        const check = await verifyChain(orderEntries(held));
        expect(check).toMatchObject({ ok: true, length: 4, tips: 2 });
        // the next entry, written by a phone that holds both, is taken too (its index counts both)
        const next = await entryFrom(held, contactBody({ facilityName: 'C園' }), dev(0));
        expect(next.index).toBe(4);
        expect(statuses(await push(0, [evidenceChange(4, next)]))).toEqual(['accepted']);
        expect(await verifyChain(orderEntries([...held, next]))).toMatchObject({ ok: true, length: 5 });
      });

      it('[E1] an open entry for a case the hub already holds is refused; the held start stands', async () => {
        const [open] = await caseEntries('case-r', 1);
        await push(0, [evidenceChange(1, open!)]);
        const restart = await entryFrom([], openBody({ detail: '差し替え' }), dev(1), undefined, 'case-r');
        const results = await push(1, [evidenceChange(1, restart), householdChange(2)]);
        expect(results).toMatchObject([{ status: 'refused', reason: 'chain', retryable: false }, { status: 'accepted' }]);
        expect((results[0] as { detail: string }).detail).toMatch(/already held/);
        const held = (await drain()).records.filter((r) => r.kind === 'case-entry');
        expect(held.map((r) => r.payloadJson)).toEqual([JSON.stringify(open)]);
      });

      it('[E2][E4] an entry linked to nothing the hub holds is refused, and so is everything after it in that case; other work goes on', async () => {
        const [open] = await caseEntries('case-l', 1);
        await push(0, [evidenceChange(1, open!)]);
        const orphanParent = await entryFrom([open!], contactBody({ note: '送られなかった記録' }), dev(0));
        const orphan = await entryFrom([open!, orphanParent], contactBody({ note: '親のない記録' }), dev(0));
        const child = await entryFrom([open!, orphanParent, orphan], contactBody({ note: 'その次' }), dev(0));
        const results = await push(0, [evidenceChange(2, orphan), evidenceChange(3, child), householdChange(4)]);
        expect(results).toMatchObject([
          { status: 'refused', reason: 'chain' },
          { status: 'refused', reason: 'chain' },
          { status: 'accepted' },
        ]);
        const jump = await sealEntry({ ...(await entryFrom([open!], contactBody(), dev(0))), index: 5 });
        expect(await push(0, [evidenceChange(5, jump)])).toMatchObject([{ status: 'refused', reason: 'chain' }]);
        const none = await entryFrom([], openBody(), dev(0));
        const lost = await entryFrom([none], contactBody(), dev(0));
        expect(await push(0, [evidenceChange(6, lost)])).toMatchObject([{ status: 'refused', reason: 'chain' }]);
        expect((await drain()).records.filter((r) => r.kind === 'case-entry')).toHaveLength(1);
      });

      it('[E6] an entry recorded by another user, or on another device, than the ones pushing it is refused', async () => {
        const [open] = await caseEntries('case-a', 1);
        await push(0, [evidenceChange(1, open!)]);
        const asOther = await entryFrom([open!], contactBody(), { deviceId: dev(0).deviceId, userId: dev(1).userId });
        const onOther = await entryFrom([open!], contactBody(), { deviceId: dev(1).deviceId, userId: dev(0).userId });
        const results = await push(0, [evidenceChange(2, asOther), evidenceChange(3, onOther)]);
        expect(results).toMatchObject([
          { status: 'refused', reason: 'writer' },
          { status: 'refused', reason: 'writer' },
        ]);
        expect((results[0] as { detail: string }).detail).toMatch(/recordedBy/);
        expect((results[1] as { detail: string }).detail).toMatch(/deviceId/);
        const report = await store.listRefusals(TENANT);
        expect(report.map((r) => r.reason)).toEqual(['writer', 'writer']);
      });

      it('[E7] an entry dated after it arrived, or before the entry it follows, is refused', async () => {
        const [open] = await caseEntries('case-t', 1);
        await push(0, [evidenceChange(1, open!)]);
        const future = await entryFrom([open!], contactBody(), dev(0), later(60));
        const backdated = await entryFrom([open!], contactBody(), dev(0), '2025-01-01T00:00:00.000Z');
        const onTime = await entryFrom([open!], contactBody(), dev(0), later(4));
        expect(await push(0, [evidenceChange(2, future), evidenceChange(3, backdated), evidenceChange(4, onTime)])).toMatchObject([
          { status: 'refused', reason: 'clock' },
          { status: 'refused', reason: 'clock' },
          { status: 'accepted' },
        ]);
      });
    });

    describe('[S9] server time', () => {
      it('[S9] received_at is the server clock; the device clock is kept and does not order anything', async () => {
        const before = Date.now();
        await push(0, [householdChange(1, { at: '2030-01-01T00:00:00.000Z' }), householdChange(2, { at: '1999-01-01T00:00:00.000+09:00' })]);
        const rows = (await raw.query('SELECT version::int, device_at, received_at FROM changes ORDER BY version')).rows;
        expect(rows.map((r) => r.version)).toEqual([1, 2]);
        expect(rows[1].device_at.toISOString()).toBe('1998-12-31T15:00:00.000Z');
        for (const r of rows) expect(Math.abs(r.received_at.getTime() - before)).toBeLessThan(60_000);
      });
    });

    describe('[S10] scope', () => {
      it('[S10] a pull hands out only the offices in scope, plus hub-wide records', async () => {
        await push(0, [
          householdChange(1, { officeId: OFFICE_A }),
          householdChange(2, { officeId: OFFICE_B }),
          householdChange(3, { kind: 'facility', entityId: 'fac-1', officeId: null, payload: createFacility({ id: 'fac-1' }) }),
        ]);
        const b = await drain(0, 10, { tenantId: TENANT, officeIds: [OFFICE_B] });
        expect(b.records.map((r) => r.entityId)).toEqual(['hh-2', 'fac-1']);
        expect(b.cursor).toBe(3);
        const none = await drain(0, 10, { tenantId: TENANT, officeIds: [] });
        expect(none.records.map((r) => r.entityId)).toEqual(['fac-1']);
        const otherHub = await drain(0, 10, { tenantId: 'another-hub', officeIds: 'all' });
        expect(otherHub.records).toEqual([]);
      });
    });

    describe('[S2][S10] the pull answer (a binary COPY, its values written into the statement)', () => {
      it('hands out the same records as pullSince, each payload byte for byte: quotes, backslashes, newlines, the delimiter and quote characters of the COPY and characters past the BMP included', async () => {
        const note = `"引用" と \\ と \\" と ' と \u2028 と 😀 と </script> と 改行\n\r と \t\u0001\u0002`;
        await push(0, [
          householdChange(1, { payload: { ...createHousehold({ id: 'hh-1' }), note } }),
          householdChange(2, { officeId: OFFICE_B }),
          householdChange(3, { kind: 'facility', entityId: 'fac-1', officeId: null, payload: createFacility({ id: 'fac-1' }) }),
        ]);
        const answer = await store.pullAnswer({ epoch: null, version: 0 }, ALL, 2);
        const records = JSON.parse(`[${Buffer.concat(answer.records).toString('utf8')}]`) as { entityId: string; payloadJson: string }[];
        const page = await store.pullSince(0, ALL, 2);
        expect(records).toEqual(page.records);
        expect((JSON.parse(records[0]!.payloadJson) as { note: string }).note).toBe(note);
        expect([answer.count, answer.hasMore, answer.cursor]).toEqual([2, true, page.cursor]);
        const rest = await store.pullAnswer({ epoch: answer.epoch, version: answer.cursor }, ALL, 2);
        expect(JSON.parse(`[${Buffer.concat(rest.records).toString('utf8')}]`)).toEqual((await store.pullSince(page.cursor, ALL, 2)).records);
        expect([rest.count, rest.hasMore, rest.cursor]).toEqual([1, false, 3]);
      });

      it('takes quotes, backslashes and SQL in the scope and the cursor as values only', async () => {
        await push(0, [householdChange(1), householdChange(2, { kind: 'facility', entityId: 'fac-1', officeId: null, payload: createFacility({ id: 'fac-1' }) })]);
        const hostile = ["x' OR '1'='1", "\\' OR true --", "'); DELETE FROM records; --"];
        const scoped = await store.pullAnswer({ epoch: "e'); DELETE FROM records; --\\", version: 0 }, { tenantId: TENANT, officeIds: hostile }, 10);
        // another epoch: the page starts from the beginning [S15], with the hub-wide facility only
        expect(scoped.epochChanged).toBe(true);
        expect((JSON.parse(`[${Buffer.concat(scoped.records).toString('utf8')}]`) as { entityId: string }[]).map((r) => r.entityId)).toEqual(['fac-1']);
        const liaison = await store.pullAnswer({ epoch: null, version: 0 }, { tenantId: TENANT, officeIds: [], facilityId: hostile[2] }, 10);
        expect(liaison.count).toBe(0);
        const otherHub = await store.pullAnswer({ epoch: null, version: 0 }, { tenantId: hostile[0]!, officeIds: 'all' }, 10);
        expect(otherHub.count).toBe(0);
        expect((await drain()).records.map((r) => r.entityId)).toEqual(['hh-1', 'fac-1']);
      });

      it('sends each record as its row holds it now, whoever wrote the row: an edit, a merge, a withdrawal or a hand-made UPDATE', async () => {
        await push(0, [householdChange(1), householdChange(2, { entityId: 'hh-2' })]);
        await push(0, [householdChange(3, { entityId: 'hh-1', op: 'update', baseVersion: 1, payload: { ...createHousehold({ id: 'hh-1' }), note: '更新後' } })]);
        // Written by hand, as an operator fixing a row would: every column a pull line holds.
        await raw.query(`UPDATE records SET office_id = $1, withdrawn = true, payload_json = $2 WHERE entity_id = 'hh-2'`, [
          OFFICE_B,
          JSON.stringify({ ...createHousehold({ id: 'hh-2' }), note: '手で直した "行"' }),
        ]);
        const answer = await store.pullAnswer({ epoch: null, version: 0 }, ALL, 10);
        const sent = JSON.parse(`[${Buffer.concat(answer.records).toString('utf8')}]`) as { entityId: string; withdrawn: boolean; officeId: string; payloadJson: string }[];
        expect(sent).toEqual((await store.pullSince(0, ALL, 10)).records);
        const byId = new Map(sent.map((r) => [r.entityId, r]));
        expect(JSON.parse(byId.get('hh-1')!.payloadJson)).toMatchObject({ note: '更新後' });
        expect(byId.get('hh-2')).toMatchObject({ withdrawn: true, officeId: OFFICE_B });
        expect(JSON.parse(byId.get('hh-2')!.payloadJson)).toMatchObject({ note: '手で直した "行"' });
      });
    });

    describe('[S11] refusals', () => {
      it('[S11] a change the database cannot store is refused alone; the ones after it are taken', async () => {
        const results = await push(0, [
          householdChange(1),
          householdChange(2, { payload: createHousehold({ id: 'hh-2', note: 'NUL\u0000in text' }) }),
          householdChange(3, { at: 'yesterday' }),
          householdChange(4),
          householdChange(5, { entityId: 'hh-\u0000' }),
          householdChange(6),
        ]);
        expect(statuses(results)).toEqual(['accepted', 'refused', 'refused', 'accepted', 'refused', 'accepted']);
        expect(results[1]).toMatchObject({ reason: 'invalid', retryable: false });
        const report = await store.listRefusals(TENANT);
        expect(report.map((r) => r.seq).sort()).toEqual([2, 3, 5]);
        expect(report.find((r) => r.seq === 2)!.payloadJson).toContain('\\u0000');
      });

      it('[S11] the push that starts over carefully hands out what the fast one would: versions with no hole, merges, the head, receipts and the seq', async () => {
        // hh-m created, then its phone changed by another device: the edit below, based on the first
        // version, is merged onto the second.
        const first = createHousehold({ id: 'hh-m', phone: '047-111-1111', note: '' });
        const [created] = await push(0, [householdChange(1, { entityId: 'hh-m', payload: first })]);
        const v0 = (created as { version: number }).version;
        const [changed] = await push(0, [householdChange(2, { entityId: 'hh-m', op: 'update', baseVersion: v0, payload: { ...first, phone: '047-222-2222' } })]);
        const v1 = (changed as { version: number }).version;
        const sent = [
          householdChange(1, { entityId: 'hh-m', op: 'update', baseVersion: v0, payload: { ...first, note: '夜間は裏口' } }),
          householdChange(2, { payload: createHousehold({ id: 'hh-2', note: 'NUL\u0000in text' }) }),
          householdChange(3, { entityId: 'hh-x' }),
        ];
        const results = await push(1, sent);
        expect(statuses(results)).toEqual(['accepted', 'refused', 'accepted']);
        expect(results.map((r) => (r as { version?: number }).version)).toEqual([v1 + 1, undefined, v1 + 2]);
        expect(await head()).toBe(v1 + 2);
        // The edit was merged onto the held version (its phone kept), and both are pulled at their versions.
        const { records } = await drain();
        expect(records.map((r) => [r.entityId, r.version])).toEqual([['hh-m', v1 + 1], ['hh-x', v1 + 2]]);
        expect(JSON.parse(records[0]!.payloadJson)).toMatchObject({ phone: '047-222-2222', note: '夜間は裏口' });
        expect(await store.countOpenConflicts(ALL)).toBe(0);
        // The same push again is answered from its receipts (taken before: duplicate, at the same
        // version), the refusal included; the next seq follows.
        expect(await push(1, sent)).toEqual(results.map((r) => (r.status === 'accepted' ? { ...r, status: 'duplicate' } : r)));
        expect(await push(1, [householdChange(4, { entityId: 'hh-y' })])).toMatchObject([{ status: 'accepted', version: v1 + 3 }]);
        expect(await head()).toBe(v1 + 3);
      });
    });

    describe('[S14] merge and conflicts', () => {
      const base = createHousehold({ id: 'hh-m', phone: '047-111-1111', address: '松戸市本町1-1', note: '' });
      const edit = (seq: number, baseVersion: number | null, patch: Record<string, unknown>, op: PushedChange['op'] = 'update') =>
        householdChange(seq, { entityId: 'hh-m', op, baseVersion, payload: { ...base, ...patch } });
      const held = async () => {
        const { records } = await drain();
        return JSON.parse(records.find((r) => r.entityId === 'hh-m')!.payloadJson) as Record<string, unknown>;
      };
      async function created(): Promise<number> {
        const [r] = await push(0, [householdChange(1, { entityId: 'hh-m', payload: base })]);
        return (r as { version: number }).version;
      }

      it('[S14] two devices editing different fields of the same version both land, with no conflict', async () => {
        const v1 = await created();
        expect(statuses(await push(1, [edit(1, v1, { phone: '047-222-2222' })]))).toEqual(['accepted']);
        expect(statuses(await push(2, [edit(1, v1, { address: '松戸市本町2-2' })]))).toEqual(['accepted']);
        expect(await held()).toMatchObject({ phone: '047-222-2222', address: '松戸市本町2-2' });
        expect(await store.countOpenConflicts(ALL)).toBe(0);
      });

      /** The household created, then its contact given a reading on a newer phone (device 1): the contact without it, and that version. */
      async function readingGiven() {
        const v1 = await created();
        const { furigana: _reading, ...aunt } = base.emergencyContacts[0]!;
        const [read] = await push(1, [edit(1, v1, { emergencyContacts: [{ ...aunt, furigana: 'やまだ いちろう' }] })]);
        return { aunt, v2: (read as { version: number }).version };
      }

      it("[S14] a contact's reading stays when an older app, which drops the field it does not know, saves the household; one cleared on a newer app stays cleared", async () => {
        const { aunt, v2 } = await readingGiven();
        // the older phone, on the record with the reading, changes the address: its contacts come without the key
        const [older] = await push(2, [edit(1, v2, { address: '松戸市本町3-3', emergencyContacts: [aunt] })]);
        expect(older!.status).toBe('accepted');
        expect(await held()).toMatchObject({ address: '松戸市本町3-3', emergencyContacts: [{ ...aunt, furigana: 'やまだ いちろう' }] });
        expect(await store.countOpenConflicts(ALL)).toBe(0);
        // a newer phone writes '' for a reading cleared: not taken for an older app's
        const v3 = (older as { version: number }).version;
        expect(statuses(await push(1, [edit(2, v3, { address: '松戸市本町3-3', emergencyContacts: [{ ...aunt, furigana: '' }] })]))).toEqual(['accepted']);
        expect((await held())['emergencyContacts']).toEqual([{ ...aunt, furigana: '' }]);
      });

      it("[S14] an older app editing the contacts twice before its next pull is merged, not a conflict: the reading the hub kept in its first change is its own", async () => {
        const { aunt, v2 } = await readingGiven();
        // the older phone on v2: the address, then (no pull between) the aunt's corrected number
        const [first] = await push(2, [edit(1, v2, { address: '松戸市本町3-3', emergencyContacts: [aunt] })]);
        const v3 = (first as { version: number }).version;
        // meanwhile a colleague writes a note, so the second edit is merged on the older phone's own first one
        expect(statuses(await push(1, [edit(2, v3, { address: '松戸市本町3-3', emergencyContacts: [{ ...aunt, furigana: 'やまだ いちろう' }], note: '夜間は裏口' })]))).toEqual(['accepted']);
        const corrected = { ...aunt, phones: ['090-9999-0000'] };
        expect(statuses(await push(2, [edit(2, v2, { address: '松戸市本町3-3', emergencyContacts: [corrected] })]))).toEqual(['accepted']);
        expect(await store.countOpenConflicts(ALL)).toBe(0);
        expect(await held()).toMatchObject({ note: '夜間は裏口', emergencyContacts: [{ ...corrected, furigana: 'やまだ いちろう' }] });
      });

      it('[S14] the same field changed on two devices keeps the first value and records the other, until settled', async () => {
        const v1 = await created();
        const [first] = await push(1, [edit(1, v1, { phone: '047-222-2222' })]);
        const [second] = await push(2, [edit(1, v1, { phone: '090-3333-3333', note: '夜間は裏口' })]);
        expect(second!.status).toBe('accepted');
        expect(await held()).toMatchObject({ phone: '047-222-2222', note: '夜間は裏口' });
        const conflicts = await store.listConflicts(ALL);
        expect(conflicts).toEqual([
          expect.objectContaining({
            kind: 'household',
            entityId: 'hh-m',
            field: 'phone',
            baseVersion: v1,
            keptVersion: (first as { version: number }).version,
            keptValue: '047-222-2222',
            lostVersion: (second as { version: number }).version,
            lostValue: '090-3333-3333',
            keptBy: '夜勤 2',
            lostBy: '夜勤 3',
          }),
        ]);
        // a case worker of the other office does not see it
        expect(await store.countOpenConflicts({ tenantId: TENANT, officeIds: [OFFICE_B] })).toBe(0);
        // only someone whose role writes the kind settles it
        await expect(store.resolveConflict(ALL, conflicts[0]!.id, dev(0).userId, ['facility', 'access'])).rejects.toMatchObject({ code: 'not-found' });
        expect(await store.countOpenConflicts(ALL)).toBe(1);
        await store.resolveConflict(ALL, conflicts[0]!.id, dev(0).userId, ['household']);
        expect(await store.countOpenConflicts(ALL)).toBe(0);
        await expect(store.resolveConflict(ALL, conflicts[0]!.id, dev(0).userId, ['household'])).rejects.toMatchObject({ code: 'not-found' });
      });

      it('[S2][S5][S14] pushes that read and decided while the hub\'s counter was held decide again once they hold it: one mutation from two devices is taken once, and one field edited on one base is merged, not written over', async () => {
        const v1 = await created();
        const holder = await raw.connect();
        let pushes: Promise<readonly ChangeResult[]>[];
        const phone = edit(1, v1, { phone: '047-222-2222' });
        try {
          await holder.query('BEGIN');
          await holder.query('UPDATE sync_heads SET version = version WHERE tenant_id = $1', [TENANT]);
          const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          // The same mutation again from another device (a backup restored there), and another
          // device's edit of the same field on the same base.
          pushes = [push(1, [phone]), push(2, [{ ...phone }]), push(3, [edit(1, v1, { phone: '090-3333-3333' })])];
          // All three have read and decided on v1 and wait for the counter (behind the holder or each other).
          await expect
            .poll(
              async () =>
                (
                  await raw.query<{ n: number }>(
                    `WITH RECURSIVE b (pid) AS (
                       SELECT pid FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))
                       UNION SELECT a.pid FROM pg_stat_activity a JOIN b ON b.pid = ANY (pg_blocking_pids(a.pid)))
                     SELECT count(*)::int AS n FROM b`,
                    [holderPid],
                  )
                ).rows[0]!.n,
              { timeout: 20_000 },
            )
            .toBe(3);
        } finally {
          await holder.query('ROLLBACK');
          holder.release();
        }
        const [viaOne, viaTwo, other] = (await Promise.all(pushes)).map((r) => r[0]!);
        expect([viaOne!.status, viaTwo!.status].sort()).toEqual(['accepted', 'duplicate']);
        expect((viaOne as { version: number }).version).toBe((viaTwo as { version: number }).version);
        expect(other!.status).toBe('accepted');
        // Whichever came second was merged against the first: one conflict on the phone, nothing lost.
        const conflicts = await store.listConflicts(ALL);
        expect(conflicts.map((c) => [c.field, c.baseVersion])).toEqual([['phone', v1]]);
        expect([conflicts[0]!.keptValue, conflicts[0]!.lostValue].sort()).toEqual(['047-222-2222', '090-3333-3333']);
        expect(await held()).toMatchObject({ phone: conflicts[0]!.keptValue });
        expect((await drain()).cursor).toBe(v1 + 2);
      });

      it('[S14] a device editing twice before its next pull does not undo what another device merged in between', async () => {
        const v1 = await created();
        await push(1, [edit(1, v1, { phone: '047-222-2222' })]);
        await push(2, [edit(1, v1, { address: '松戸市本町2-2' })]);
        // device 1 still has its own first edit in front of it; its second edit is based on that
        expect(statuses(await push(1, [edit(2, v1, { phone: '047-222-2222', note: '鍵は隣家' })]))).toEqual(['accepted']);
        expect(await held()).toMatchObject({ phone: '047-222-2222', address: '松戸市本町2-2', note: '鍵は隣家' });
        expect(await store.countOpenConflicts(ALL)).toBe(0);
      });

      it('[S14] an edit based on nothing keeps every differing held field and reports each; a bad baseVersion is refused alone', async () => {
        await created();
        const results = await push(1, [
          edit(1, 999, { phone: '1' }),
          edit(2, null, { phone: '047-999-9999' }),
        ]);
        expect(statuses(results)).toEqual(['refused', 'accepted']);
        expect(results[0]).toMatchObject({ reason: 'invalid', detail: expect.stringContaining('baseVersion 999') });
        expect((await held())['phone']).toBe('047-111-1111');
        expect((await store.listConflicts(ALL)).map((c) => [c.field, c.lostValue])).toEqual([['phone', '047-999-9999']]);
      });

      it('[S14] withdrawing keeps the record withdrawn when a later edit from an older base arrives', async () => {
        const v1 = await created();
        await push(1, [edit(1, v1, { withdrawal: { date: '2026-11-30', reason: '転居' } }, 'withdraw')]);
        await push(2, [edit(1, v1, { note: '連絡先を更新' })]);
        const { records } = await drain();
        const record = records.find((r) => r.entityId === 'hh-m')!;
        expect(record.withdrawn).toBe(true);
        expect(JSON.parse(record.payloadJson)).toMatchObject({ withdrawal: { reason: '転居' }, note: '連絡先を更新' });
      });
    });

    describe('[S13] requests refused whole', () => {
      it('[S13] unknown device, another user’s device, a disabled device or user, or seqs out of order: nothing is written', async () => {
        const one = [householdChange(1)];
        const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof StoreError ? e.code : String(e)));
        expect(await code(store.applyPush('device-x', dev(0).userId, one))).toBe('unknown-device');
        expect(await code(store.applyPush(dev(0).deviceId, dev(1).userId, one))).toBe('forbidden');
        expect(await code(push(0, [householdChange(2), householdChange(1)]))).toBe('bad-request');
        expect(await code(push(0, [householdChange(1.5)]))).toBe('bad-request');
        await store.setDisabled('device', dev(2).deviceId, true);
        expect(await code(push(2, one))).toBe('device-disabled');
        await store.setDisabled('user', dev(3).userId, true);
        expect(await code(push(3, one))).toBe('user-disabled');
        // Signed out of the device (its membership revoked) after the request was let in: the
        // push's own lock of the device refuses it, whatever the request's caller said.
        await store.revokeDeviceUser(dev(1).deviceId, dev(1).userId, new Date());
        expect(await code(push(1, one))).toBe('forbidden');
        expect(await head()).toBe(0);
        expect((await raw.query('SELECT count(*)::int AS n FROM receipts')).rows[0].n).toBe(0);
      });
    });
  });
}
