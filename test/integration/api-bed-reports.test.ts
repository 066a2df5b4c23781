/**
 * The hub takes a bed report only as the report form makes it: dated no later than it arrives
 * (within the clock tolerance), its period both days or none, in order, two weeks at most. A report
 * dated a year ahead, or for a year, would head the match every night. Over HTTP, against real PostgreSQL.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceClient, facilityPayload, startApi, wireChange, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('bed reports at the hub', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  it('refuses a report dated after it arrives (clock) and a period the form never makes (invalid), and takes one dated now', async () => {
    const phone = await new DeviceClient(api, 'phone-night').join(await api.user('yoru', 'coordinator'));
    // the hub's own clock (the database's) times the arrival, not the test's sign-in clock
    const now = Date.now();
    const report = (id: string, vacancy: Record<string, unknown>) => wireChange('facility', id, facilityPayload(id, { vacancy: { beds: 2, reportedBy: '田中', ...vacancy } as never }), 'create');
    const answer = await phone.push([
      report('fac-ahead', { asOf: new Date(now + 60 * 60_000).toISOString() }),
      report('fac-year', { asOf: new Date(now).toISOString(), from: '2026-11-01', until: '2027-12-31' }),
      report('fac-half', { asOf: new Date(now).toISOString(), from: '2026-12-05' }),
      report('fac-now', { asOf: new Date(now + 60_000).toISOString() }),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['clock', 'invalid', 'invalid', 'accepted']);
  });
});
