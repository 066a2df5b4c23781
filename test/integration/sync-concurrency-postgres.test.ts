/**
 * [S2] under load, against a real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432): several hubs,
 * each with devices pushing in parallel (creates and edits of shared records) while pullers page
 * through the hub with small pages. No puller may skip a change committed while it paged: every
 * accepted version is either seen, or superseded by a later version of the same record that is.
 */
import { afterAll, expect, it } from 'vitest';
import { migrate } from '../../src/server/db/migrate';
import { MIGRATIONS } from '../../src/server/db/migrations/index';
import type { PulledRecord, Store } from '../../src/server/db/store';
import { householdChange, OFFICE_A } from './factories';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const HUBS = 3;
const DEVICES = 4;
const PUSHES = 12;
const PULLERS = [
  { limit: 3, how: 'pullSince' },
  { limit: 7, how: 'pullSince' },
  { limit: 3, how: 'pullAnswer' },
  { limit: 7, how: 'pullAnswer' },
] as const;

async function seed(store: Store, hub: string): Promise<string[]> {
  await store.createTenant({ id: hub, name: hub });
  await store.createOffice({ id: `${hub}-${OFFICE_A}`, tenantId: hub, name: '相談支援事業所' });
  const devices = [];
  for (let d = 0; d < DEVICES; d++) {
    await store.createUser({ id: `${hub}-u${d}`, tenantId: hub, role: 'coordinator', loginName: `c${d}`, displayName: `夜勤 ${d}` });
    await store.registerDevice({ id: `${hub}-d${d}`, userId: `${hub}-u${d}`, name: `phone ${d}` });
    devices.push(`${hub}-d${d}`);
  }
  return devices;
}

it('[S2] parallel pushes to several hubs with pullers paging alongside: no pull skips a committed change, none sees another hub', async () => {
  const { store, raw } = await target.fresh();
  try {
    await store.migrate();
    const hubs = Array.from({ length: HUBS }, (_, h) => `hub-${h}`);
    const devicesOf = new Map<string, string[]>();
    for (const hub of hubs) devicesOf.set(hub, await seed(store, hub));

    let pushing = true;
    const seenBy = new Map<string, PulledRecord[]>();
    // Pullers page with pullSince, and with pullAnswer (the statement the API answers a pull with,
    // its records as PostgreSQL's JSON text), side by side.
    const pullers = hubs.flatMap((hub) =>
      PULLERS.map(async ({ limit, how }) => {
        const seen: PulledRecord[] = [];
        seenBy.set(`${hub}/${limit}/${how}`, seen);
        let cursor = 0;
        for (;;) {
          const done = !pushing;
          const page =
            how === 'pullSince'
              ? await store.pullSince(cursor, { tenantId: hub, officeIds: 'all' }, limit)
              : await store.pullAnswer({ epoch: null, version: cursor }, { tenantId: hub, officeIds: 'all' }, limit).then((a) => ({
                  records: JSON.parse(`[${Buffer.concat(a.records).toString()}]`) as PulledRecord[],
                  cursor: a.cursor,
                  hasMore: a.hasMore,
                }));
          seen.push(...page.records);
          expect(page.cursor).toBeGreaterThanOrEqual(cursor);
          cursor = page.cursor;
          // One last full drain after the pushes ended, so everything committed must be seen.
          if (!page.hasMore && done) return;
          if (!page.hasMore) await new Promise((r) => setTimeout(r, 1));
        }
      }),
    );

    const accepted = new Map<string, { version: number; entityId: string }[]>(hubs.map((h) => [h, []]));
    await Promise.all(
      hubs.flatMap((hub) =>
        devicesOf.get(hub)!.map(async (deviceId, d) => {
          let seq = 0;
          for (let p = 0; p < PUSHES; p++) {
            // A new record of this device, and an edit of a record every device of the hub edits.
            const changes = [
              householdChange(++seq, { entityId: `hh-${d}-${p}`, officeId: `${hub}-${OFFICE_A}` }),
              householdChange(++seq, { entityId: `hh-shared-${p % 3}`, officeId: `${hub}-${OFFICE_A}` }),
            ];
            const results = await store.applyPush(deviceId, `${hub}-u${d}`, changes);
            results.forEach((r, i) => {
              if (r.status === 'accepted') accepted.get(hub)!.push({ version: r.version, entityId: changes[i]!.entityId });
            });
          }
        }),
      ),
    );
    pushing = false;
    await Promise.all(pullers);

    for (const hub of hubs) {
      const taken = accepted.get(hub)!;
      expect(taken.length).toBeGreaterThanOrEqual(DEVICES * PUSHES);
      const versions = taken.map((t) => t.version).sort((a, b) => a - b);
      // Each hub counts its own versions from 1, with no hole.
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      for (const { limit, how } of PULLERS) {
        const seen = seenBy.get(`${hub}/${limit}/${how}`)!;
        expect(seen.every((r) => r.entityId.startsWith('hh-'))).toBe(true);
        // Versions arrive in increasing order, each once.
        expect(seen.map((r) => r.version)).toEqual([...new Set(seen.map((r) => r.version))].sort((a, b) => a - b));
        const latestSeen = new Map<string, number>();
        for (const r of seen) latestSeen.set(r.entityId, Math.max(latestSeen.get(r.entityId) ?? 0, r.version));
        const skipped = taken.filter((t) => (latestSeen.get(t.entityId) ?? 0) < t.version);
        expect(skipped).toEqual([]);
      }
    }
    // The API's records (PostgreSQL's JSON text) are the records pullSince reads, field for field.
    for (const hub of hubs) {
      const byVersion = new Map(seenBy.get(`${hub}/7/pullSince`)!.map((r) => [r.version, r]));
      const both = seenBy.get(`${hub}/7/pullAnswer`)!.filter((r) => byVersion.has(r.version));
      expect(both.length).toBeGreaterThan(0);
      for (const r of both) expect(r).toEqual(byVersion.get(r.version));
    }
    // Nothing crossed hubs in the log either.
    const crossed = await raw.query(`SELECT count(*)::int AS n FROM records WHERE NOT starts_with(office_id, tenant_id)`);
    expect(crossed.rows[0]).toEqual({ n: 0 });
  } finally {
    await store.close();
    await raw.end();
  }
}, 120_000);

it('[S2] migration 13 on a hub that was running: each hub\'s counter starts at the shared counter, so no device cursor is above the next version', async () => {
  const { store, raw } = await target.fresh();
  try {
    await migrate(raw, MIGRATIONS.filter((m) => m.version < 13));
    const devices = await seed(store, 'hub-old');
    // The shared counter as a running hub left it (other hubs took versions up to 42).
    await raw.query('UPDATE sync_counter SET version = 42');
    expect((await store.migrate()).applied).toEqual(MIGRATIONS.filter((m) => m.version >= 13).map((m) => m.version));
    expect((await raw.query('SELECT tenant_id, version::int FROM sync_heads')).rows).toEqual([{ tenant_id: 'hub-old', version: 42 }]);
    expect(await store.applyPush(devices[0]!, 'hub-old-u0', [householdChange(1, { officeId: `hub-old-${OFFICE_A}` })])).toMatchObject([{ status: 'accepted', version: 43 }]);
    // A device whose cursor was at the old head gets the new change.
    expect((await store.pullSince(42, { tenantId: 'hub-old', officeIds: 'all' }, 10)).records.map((r) => r.version)).toEqual([43]);
  } finally {
    await store.close();
    await raw.end();
  }
});
