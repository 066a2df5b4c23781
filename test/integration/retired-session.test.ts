/**
 * [retire][A5][A6] A session is tied to the device it was opened through (migration 20): a device
 * token's session to that device, a password sign-in to the device it enrols. Disabling the device
 * ends it. Before, the cookie left in the browser of a phone that retired and wiped could enrol a
 * new device id for up to 12 hours and pull the user's whole scope with it.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type ErrorResponse, type SessionInfo } from '../../src/protocol/sync';
import { runAdminCommand } from '../../src/server/admin-commands';
import { DeviceClient, householdWire, HUB, startApi, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/** A TOTP code is taken once [A3]: the next sign-in of the same user waits for the next step. */
const NEXT_CODE_MS = 30_000;

describe('[retire] the session of a retired device', () => {
  let api: ApiHarness;
  let coord: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
  });
  afterEach(() => api.close());

  const disableDevice = (device: string) =>
    runAdminCommand(api.store, 'disable-device', { hub: HUB, device, yes: true }, { out: () => undefined, readPassword: async () => '', now: () => api.clock.now });

  /** The browser's cookie, taken to a device id of the taker's choosing. */
  const withCookieOf = (phone: DeviceClient, deviceId: string) => {
    const taker = new DeviceClient(api, deviceId);
    taker.cookie = phone.cookie;
    return taker;
  };

  const registered = async (deviceId: string) => (await api.store.findDevice(deviceId)) !== null;

  it('[retire] the cookie of a phone that retired and wiped enrols no new device id and pulls nothing', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    expect((await phone.push([householdWire('hh-1', { officeId: 'office-a' }), householdWire('hh-2', { officeId: 'office-b' })])).status).toBe(200);
    await disableDevice('phone-1');
    expect((await phone.pull(0)).status).toBe(410);
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(204);

    // The app's wipe cannot clear the HttpOnly cookie: whoever holds the browser still has it.
    const taker = withCookieOf(phone, 'fresh-id');
    const enrol = await taker.enrol();
    expect(enrol.status).toBe(401);
    expect((enrol.body as unknown as ErrorResponse).error).toBe('signed-out');
    expect(taker.secret).toBeUndefined();
    expect(await registered('fresh-id')).toBe(false);
    expect((await taker.request('GET', API.session)).status).toBe(401);
    const ended = await api.raw.query<{ end_reason: string }>('SELECT end_reason FROM sessions WHERE user_id = $1', [coord.id]);
    expect(ended.rows.map((r) => r.end_reason)).toEqual(['device-disabled']);
  });

  it('[A8] a session opened with the device token ends with its device', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    const token = (await phone.enrol()).body.userToken;
    const evening = new DeviceClient(api, 'phone-1');
    evening.secret = phone.secret;
    expect((await evening.request<SessionInfo>('POST', API.deviceSession, { token })).status).toBe(200);
    await disableDevice('phone-1');
    const taker = withCookieOf(evening, 'fresh-id');
    expect((await taker.enrol()).status).toBe(401);
    expect(await registered('fresh-id')).toBe(false);
  });

  it('[A5] a session enrols the device it was opened through and no other', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    const taker = withCookieOf(phone, 'tablet-1');
    const enrol = await taker.enrol();
    expect(enrol.status).toBe(403);
    expect((enrol.body as unknown as ErrorResponse).error).toBe('forbidden');
    expect(await registered('tablet-1')).toBe(false);
    // its own device again (the phone's next sign-in on it) is still enrolled
    expect((await phone.enrol()).status).toBe(200);
    expect((await phone.pull(0)).status).toBe(200);
  });

  it('[A5] a session whose device was disabled by other means than disable-device is not used again', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    // as if the device-token session were opened while disable-device ran, after it ended the sessions
    await api.store.setDisabled('device', 'phone-1', true);
    expect((await phone.request('GET', API.session)).status).toBe(401);
    expect((await withCookieOf(phone, 'fresh-id').enrol()).status).toBe(401);
    expect(await registered('fresh-id')).toBe(false);
  });

  it('[retire] a session tied to no device (opened before migration 20) of the device’s user ends too', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    await api.raw.query('UPDATE sessions SET device_id = NULL');
    await disableDevice('phone-1');
    expect((await withCookieOf(phone, 'fresh-id').enrol()).status).toBe(401);
    expect(await registered('fresh-id')).toBe(false);
  });

  it("[A7] disabling a device leaves its user's session on another device, and other users' sessions", async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    api.clock.advance(NEXT_CODE_MS);
    const tablet = await new DeviceClient(api, 'tablet-1').join(coord);
    const colleague = await new DeviceClient(api, 'phone-2').join(await api.user('coord2', 'coordinator'));
    await disableDevice('phone-1');
    expect((await phone.pull(0)).status).toBe(410);
    expect((await tablet.push([householdWire('hh-1', { officeId: 'office-a' })])).body.results[0]!.status).toBe('accepted');
    expect((await tablet.pullAll()).map((r) => r.entityId)).toEqual(['hh-1']);
    expect((await colleague.pullAll()).map((r) => r.entityId)).toEqual(['hh-1']);
  });
});
