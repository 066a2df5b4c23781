/**
 * A hub database put back by hand (issue 16, docs/hub-server.md [S15]): an operator restores a
 * pg_dump with psql instead of `npm run admin -- restore`, so the epoch stays what it was. The
 * phones run the app's own vault and sync engine against the machine's real PostgreSQL. Their
 * cursors carry the hub's mark, so the hub tells each one that its cursor is not from this
 * timeline; each pulls again from the start and sends what the restore lost, as after a new epoch.
 * Everything written after the dump is back on the hub once, and every phone holds what the hub
 * holds. The API's side of the mark (old cursors accepted, junk refused) is checked over HTTP.
 */
import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CURSOR_MARK_HEADER, parseCursor } from '../../src/protocol/cursor';
import { API, type ErrorResponse, type PullResponse } from '../../src/protocol/sync';
import type { Household } from '../../src/domain/household';
import { ownDatabaseHub } from './own-database-hub';
import { createHousehold } from '../factories/household';
import { contactBody, openBody } from '../factories/emergency-case';
import { DeviceClient, householdWire, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const own = ownDatabaseHub('hand_restore', 'hub-hand-restore', '手作業の復元テスト拠点', ['coord-a', 'coord-b', 'coord-c', 'coord-d']);
const { databaseUrl, dir, sql, held, phone, synced, credentials, start: startTheHub, stop: stopTheHub } = own;
const HUB = own.hubId;

beforeAll(own.setUp);
afterAll(own.tearDown);

describe('[S15] a hub database put back by hand (psql, not the admin restore) is noticed by the phones', () => {
  it('sync, pg_dump, write more, restore the dump with psql, reconnect: everything is back once, and every phone holds what the hub holds', async () => {
    const a = await phone('携帯A', 'coord-a');
    const b = await phone('携帯B', 'coord-b');

    const early = createHousehold({ id: 'hh-early' });
    await a.saveHousehold(early, 'create');
    await a.append('case-a', openBody({ officeId: 'office-a' }));
    await b.append('case-b', openBody({ officeId: 'office-b', caller: '兄' }));
    await b.saveHousehold(createHousehold({ id: 'hh-early-b' }), 'create');
    // D syncs before the dump and not again until the hub is back: its cursor is of both timelines.
    const d = await phone('携帯D', 'coord-d');
    await synced(a);
    await synced(b);
    await synced(a);
    await synced(d);
    // The phones' cursors carry the hub's mark.
    for (const device of [a, b, d]) expect((await device.session.sync.hubLink())?.mark).toEqual(expect.any(Number));

    // The operator's own nightly dump: plain SQL, not `npm run admin -- backup`.
    const file = join(dir, 'by-hand.sql');
    execFileSync('pg_dump', ['--format=plain', '--no-owner', `--file=${file}`, `--dbname=${databaseUrl}`]);
    const epochBefore = (await held()).epoch;

    // After the dump: edits, new households and entries on both phones, synced both ways.
    await a.saveHousehold({ ...early, note: '夜間は裏口から（ダンプの後に書いた）' }, 'update');
    await a.saveHousehold(createHousehold({ id: 'hh-late-a' }), 'create');
    for (let i = 0; i < 3; i++) await a.append('case-a', contactBody());
    await b.saveHousehold(createHousehold({ id: 'hh-late-b' }), 'create');
    await b.append('case-b', contactBody());
    await b.append('case-new-b', openBody({ officeId: 'office-b', caller: '民生委員' }));
    // A third phone joins only after the dump: the restored hub will not know it.
    const c = await phone('携帯C', 'coord-c');
    await c.append('case-c', openBody({ officeId: 'office-c', caller: '隣人' }));
    await c.saveHousehold(createHousehold({ id: 'hh-late-c' }), 'create');
    await synced(a);
    await synced(b);
    await synced(c);
    await synced(a);
    await synced(b);
    for (const device of [a, b, c]) expect(await device.queued()).toBe(0);
    // ...and one more on A not sent when the hub goes down.
    await a.append('case-a', contactBody());
    await a.saveHousehold(createHousehold({ id: 'hh-unsent' }), 'create');
    const before = await held();
    expect(before.evidence.size).toBe(a.evidence.size + b.evidence.size + c.evidence.size - 1);

    // The operator puts the dump back by hand: the schema emptied, the file fed to psql.
    await stopTheHub();
    await sql('DROP SCHEMA public CASCADE');
    await sql('CREATE SCHEMA public');
    execFileSync('psql', ['--quiet', '--no-psqlrc', '--set=ON_ERROR_STOP=1', `--dbname=${databaseUrl}`, `--file=${file}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    const restored = await held();
    expect(restored.epoch).toBe(epochBefore); // nothing told the database it was restored
    expect(restored.evidence.size).toBe(2);
    expect(restored.households.has('hh-late-a')).toBe(false);
    await startTheHub();

    // D is back first and writes at once: versions the restore lost are handed out again, to it.
    await d.saveHousehold(createHousehold({ id: 'hh-d-after' }), 'create');
    await synced(d);
    expect((await held()).households.has('hh-d-after')).toBe(true);
    // B pushes nothing: its first pull is told its cursor is not of this timeline, at the version
    // the dump ended with (not the head D has moved on), so it sends back all it holds above it.
    await synced(b);
    await synced(a);
    // C is unknown to the restored hub: it signs in again, and its kept cursor is caught the same way.
    expect(await c.sync()).toBe('failed');
    await c.join(credentials('coord-c'));
    for (const device of [a, b, c, d, a, b]) await synced(device);

    const after = await held();
    expect(after.epoch).toBe(epochBefore);
    // Every case entry any phone wrote is on the hub, byte for byte, carried by one accepted change.
    const written = new Map([...a.evidence, ...b.evidence, ...c.evidence, ...d.evidence]);
    expect(after.evidence.size).toBe(written.size);
    for (const [id, text] of written) expect(after.evidence.get(id), id).toEqual({ text, rows: 1 });
    // Every household as last saved, no conflict from the same state sent again.
    for (const device of [a, b, c, d]) {
      for (const [id, household] of device.households) expect(after.households.get(id), `${device.label} ${id}`).toEqual(household);
    }
    expect([...after.households.keys()].sort()).toEqual(['hh-d-after', 'hh-early', 'hh-early-b', 'hh-late-a', 'hh-late-b', 'hh-late-c', 'hh-unsent']);
    expect(after.conflicts).toBe(0);
    // Each phone's view is the hub's: the same entries, the same households, nothing left queued.
    const head = Number((await sql<{ version: string }>('SELECT version FROM sync_heads WHERE tenant_id = $1', [HUB]))[0]!.version);
    for (const device of [a, b, c, d]) {
      expect(await device.queued(), device.label).toBe(0);
      expect((await device.session.list('case-entry')).map((r) => r.id).sort(), device.label).toEqual([...written.keys()].sort());
      expect((await device.session.list('household')).map((r) => r.id).sort(), device.label).toEqual([...after.households.keys()].sort());
      for (const [id, household] of after.households) expect(await device.household(id), `${device.label} ${id}`).toEqual(household);
      const link = await device.session.sync.hubLink();
      expect(link?.cursor, device.label).toBe(head);
      expect(parseCursor(`${link?.epoch}:${link?.cursor}:${link?.mark}`)).not.toBeNull();
    }
  });
});

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('[S15] the mark on the pull cursor, at the API', () => {
  let api: ApiHarness;
  let phone: DeviceClient;
  beforeEach(async () => {
    api = await startApi(target);
    phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord1', 'coordinator'));
    expect((await phone.push([householdWire('hh-1'), householdWire('hh-2')])).status).toBe(200);
  });
  afterEach(() => api.close());
  const pullMarked = (cursor: string) => phone.request<PullResponse>('GET', `${API.pull}?cursor=${encodeURIComponent(cursor)}&limit=1000`, undefined, { [CURSOR_MARK_HEADER]: '1' });

  it('hands out marked cursors to an app that reads them, and takes its own marked, unmarked and bare cursors as before', async () => {
    // An app from before marks reads the cursor strictly: it gets one without a mark.
    const old = await phone.pull('0');
    expect(old.body.cursor).toMatch(/^[A-Za-z0-9-]+:2$/);
    const page = await pullMarked('0');
    expect(page.status).toBe(200);
    const cursor = parseCursor(page.body.cursor)!;
    expect(cursor).toMatchObject({ version: 2, mark: expect.any(Number) });
    for (const asked of [page.body.cursor, `${cursor.epoch}:2`, '2']) {
      const again = await pullMarked(asked);
      expect(again.status, asked).toBe(200);
      expect(again.body.epochChange, asked).toBeUndefined();
      expect(again.body.records, asked).toEqual([]);
    }
  });

  it('a marked cursor beyond the head, or at a version written after its mark, is from another timeline: the page starts again with the floor', async () => {
    const first = parseCursor((await pullMarked('0')).body.cursor)!;
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const beyond = await pullMarked(`${first.epoch}:9:${first.mark}`);
    // The operator reads in the server's log that the database was put back by hand.
    expect(warned.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/device phone-1 .*not of this database's timeline.*above version 2$/)]);
    warned.mockRestore();
    expect(beyond.status).toBe(200);
    expect(beyond.body.epochChange).toEqual({ floor: 2, lastSeq: 2 });
    expect(beyond.body.records.map((r) => r.entityId)).toEqual(['hh-1', 'hh-2']);
    // Version 2 as the hub holds it was received after this (earlier) mark: not the one the device saw.
    const early = await pullMarked(`${first.epoch}:2:${first.mark! - 60_000}`);
    expect(early.body.epochChange).toEqual({ floor: 0, lastSeq: 2 });
    // An unmarked cursor beyond the head is taken as before (a device from before marks).
    expect((await pullMarked(`${first.epoch}:9`)).body.epochChange).toBeUndefined();
  });

  it('junk cursors are refused 400 in words', async () => {
    for (const junk of ['e:5:0', 'e:5:1:2', '5:x', 'e:5:99999999999999999', '%00']) {
      const answer = await phone.request<ErrorResponse>('GET', `${API.pull}?cursor=${encodeURIComponent(junk)}`, undefined, { [CURSOR_MARK_HEADER]: '1' });
      expect(answer.status, junk).toBe(400);
      expect(answer.body.error).toBe('bad-request');
      expect(answer.body.message).toBe('送信された内容が正しくありません。');
    }
  });
});
