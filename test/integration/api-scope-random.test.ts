/**
 * [S10] Over randomized data: coordinators push households of three offices (some with no office,
 * some moved to another office later) and cases for them; each 相談支援専門員's device pulls
 * exactly its office's households and cases, and never one of another office; pulling on from its
 * cursor, it is told of each household that left its office, and holds exactly what it would pull.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ONLY_OFFICE } from '../../src/protocol/sync';
import { contactBody, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, householdWire, OFFICES, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');

let api: ApiHarness;
let coordinators: DeviceClient[];
let workers: { office: string; device: DeviceClient }[];
beforeAll(async () => {
  api = await startApi(target);
  coordinators = [];
  for (const login of ['coord1', 'coord2']) coordinators.push(await new DeviceClient(api, `${login}-phone`).join(await api.user(login, 'coordinator')));
  workers = [];
  for (const office of OFFICES) {
    const user = await api.user(`worker-${office}`, 'case-worker', { officeId: office });
    workers.push({ office, device: await new DeviceClient(api, `${office}-tablet`).join(user) });
  }
});
afterAll(async () => {
  await api.close();
  await target.dropAll();
});

const office = fc.constantFrom<string | null>(...OFFICES, null);
const household = fc.record({
  office,
  by: fc.nat(1),
  withCase: fc.boolean(),
  caseBy: fc.nat(1),
  moveTo: fc.option(fc.constantFrom(...OFFICES), { nil: undefined }),
});
/** a household pushed in an earlier run (`pick`, of those held), moved to another office */
const laterMove = fc.record({ pick: fc.nat(), to: fc.constantFrom(...OFFICES), by: fc.nat(1) });

describe('[S10] case workers pull only their own office, over randomized data', () => {
  it("[S10] a case worker's device never receives another office's households or cases", async () => {
    /** entity id → the office it must be held under */
    const expected = new Map<string, string>();
    /** each office's device, pulling on from its cursor: entity id → the office it came under */
    const heldBy = new Map<string, Map<string, string>>();
    /** household id → its version on the hub */
    const versions = new Map<string, number>();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(household, { minLength: 1, maxLength: 8 }), fc.array(laterMove, { maxLength: 3 }), async (households, laterMoves) => {
        run++;
        // households of earlier runs, which the case workers' devices may hold, moved now
        const earlier = [...versions.keys()].sort();
        for (const m of earlier.length === 0 ? [] : laterMoves) {
          const id = earlier[m.pick % earlier.length]!;
          const moved = await coordinators[m.by]!.push([{ ...householdWire(id, { officeId: m.to }, 'update'), baseVersion: versions.get(id)! }]);
          expect(moved.body.results[0]).toMatchObject({ status: 'accepted' });
          versions.set(id, (moved.body.results[0] as { version: number }).version);
          expected.set(id, m.to);
        }
        for (const [i, h] of households.entries()) {
          const id = `hh-${run}-${i}`;
          const pushed = await coordinators[h.by]!.push([householdWire(id, h.office === null ? {} : { officeId: h.office })]);
          expect(pushed.body.results[0]!.status).toBe('accepted');
          expected.set(id, h.office ?? HUB_ONLY_OFFICE);
          versions.set(id, (pushed.body.results[0] as { version: number }).version);
          if (h.withCase) {
            const entries = await coordinators[h.caseBy]!.caseEntries(`case-${run}-${i}`, [
              openBody({ subject: { householdId: id, personId: null, name: '利用者', recipientNumber: '' } }),
              contactBody(),
            ]);
            // a case stays with the office its household had when it was opened
            const caseAnswer = await coordinators[h.caseBy]!.push(entries.map(entryWire));
            expect(caseAnswer.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
            for (const e of entries) expected.set(e.id, h.office ?? HUB_ONLY_OFFICE);
          }
          if (h.moveTo !== undefined) {
            const version = pushed.body.results[0]!.status === 'accepted' ? (pushed.body.results[0] as { version: number }).version : 0;
            const moved = await coordinators[h.by]!.push([{ ...householdWire(id, { officeId: h.moveTo }, 'update'), baseVersion: version }]);
            expect(moved.body.results[0]!.status).toBe('accepted');
            expected.set(id, h.moveTo);
            versions.set(id, (moved.body.results[0] as { version: number }).version);
          }
        }
        for (const w of workers) {
          const records = (await w.device.pullAll()).filter((r) => r.kind === 'household' || r.kind === 'case-entry');
          for (const r of records) expect(r.officeId, `${r.kind} ${r.entityId} pulled by ${w.office}`).toBe(w.office);
          const mine = [...expected].filter(([, o]) => o === w.office).map(([id]) => id);
          expect(records.map((r) => r.entityId).sort()).toEqual(mine.sort());
          // Pulling on from its cursor, as a phone does (small pages): what left the office since
          // comes as a removal, so the device holds exactly what a pull from the start gives.
          const held = heldBy.get(w.office) ?? new Map<string, string>();
          heldBy.set(w.office, held);
          for (;;) {
            const page = await w.device.pull(w.device.cursor, 3);
            expect(page.status).toBe(200);
            for (const r of page.body.records) {
              if (r.kind !== 'household' && r.kind !== 'case-entry') continue;
              if (r.withdrawn && r.payloadJson === 'null') held.delete(r.entityId);
              else held.set(r.entityId, r.officeId ?? '');
            }
            w.device.cursor = page.body.cursor;
            if (!page.body.hasMore) break;
          }
          expect([...held.keys()].sort(), `held by ${w.office}'s device`).toEqual(mine.sort());
        }
      }),
      { numRuns: 12 },
    );
    // the property saw every office, and households held for the hub only
    expect(new Set(expected.values())).toEqual(new Set([...OFFICES, HUB_ONLY_OFFICE]));
  });
});
