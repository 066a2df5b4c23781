/**
 * The hub's checks of what a case entry's body states, through the real push against PostgreSQL
 * (docs/sync-protocol.md E2, E7): a contact dated in the future, a correction without a reason or
 * of no entry of its case, are refused with their reason and never stored nor countersigned;
 * a call made hours ago offline is taken.
 */
import type pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseEntry, CorrectionBody } from '../../src/domain/emergency-case';
import type { Store } from '../../src/server/db/store';
import { contactBody, openBody } from '../factories/emergency-case';
import { entryFrom, evidenceChange, seedHub, TENANT, type Hub } from './factories';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('[E2][E7] what a pushed case entry states (PostgreSQL)', () => {
  let store: Store;
  let raw: pg.Pool;
  let hub: Hub;
  beforeEach(async () => {
    ({ store, raw } = await target.fresh());
    await store.migrate();
    hub = await seedHub(store, 1);
  });
  afterEach(async () => {
    await store.close();
    await raw.end();
  });

  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const correction = (corrects: string, reason: string): CorrectionBody => ({ type: 'correction', corrects, reason, replacement: null });

  /** A night call opened three hours ago and one contact, both on the hub. */
  async function heldCall(): Promise<CaseEntry[]> {
    const dev = hub.devices[0]!;
    const open = await entryFrom([], openBody({ officeId: 'office-a', requestedAt: ago(180) }), dev, ago(180), 'case-body');
    const contact = await entryFrom([open], contactBody({ contactedAt: ago(170) }), dev, ago(165));
    const results = await store.applyPush(dev.deviceId, dev.userId, [evidenceChange(1, open), evidenceChange(2, contact)]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    return [open, contact];
  }

  it('refuses a contact dated 2031 (clock), a correction with a blank reason (invalid) or of no entry of its case (chain); takes a call made offline hours ago', async () => {
    const dev = hub.devices[0]!;
    const held = await heldCall();
    const future = await entryFrom(held, contactBody({ contactedAt: '2031-01-01T00:00:00.000Z' }), dev, ago(1));
    const blank = await entryFrom(held, correction(held[1]!.id, ' '), dev, ago(1));
    const nowhere = await entryFrom(held, correction('no-such-entry', '誤って記録'), dev, ago(1));
    const offline = await entryFrom(held, contactBody({ contactedAt: ago(150), facilityName: 'みどり園' }), dev, ago(1));
    const results = await store.applyPush(dev.deviceId, dev.userId, [evidenceChange(3, future), evidenceChange(4, blank), evidenceChange(5, nowhere), evidenceChange(6, offline)]);
    expect(results).toMatchObject([
      { status: 'refused', reason: 'clock', retryable: false },
      { status: 'refused', reason: 'invalid', retryable: false },
      { status: 'refused', reason: 'chain', retryable: false },
      { status: 'accepted' },
    ]);
    expect((results[0] as { detail: string }).detail).toMatch(/body\.contactedAt 2031-01-01/);
    // Nothing refused is stored, so nothing refused is countersigned.
    const stored = await raw.query<{ id: string }>('SELECT id FROM evidence ORDER BY version');
    expect(stored.rows.map((r) => r.id)).toEqual([held[0]!.id, held[1]!.id, offline.id]);
    expect((await store.listRefusals(TENANT)).map((r) => r.reason).sort()).toEqual(['chain', 'clock', 'invalid']);
  });

  it('takes a correction with a reason of an entry it holds', async () => {
    const dev = hub.devices[0]!;
    const held = await heldCall();
    const fix = await entryFrom(held, correction(held[1]!.id, '別の利用者の連絡を誤って記録'), dev, ago(1));
    expect(await store.applyPush(dev.deviceId, dev.userId, [evidenceChange(3, fix)])).toMatchObject([{ status: 'accepted' }]);
  });
});
