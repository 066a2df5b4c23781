/**
 * TOTP secrets at rest (src/server/services/secret-box.ts): with a key, the database holds no
 * secret a copy of it could make codes from, and sign-in works as before; a server started with
 * another key refuses sign-in with a 503 that says it is the server's setup, not the user's code.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../src/server/http/api';
import { startServer } from '../../src/server/app-server';
import { DeviceClient, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';
import type { AddressInfo } from 'node:net';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('TOTP secrets sealed at rest', () => {
  let api: ApiHarness;
  afterEach(() => api.close());

  it('keeps no clear secret in the database, signs in with the code, and a wrong key is the server’s 503', async () => {
    api = await startApi(target, { secretKey: Buffer.alloc(32, 1) });
    const user = await api.user('sato', 'coordinator');
    const stored = (await api.raw.query<{ totp_secret: string }>('SELECT totp_secret FROM users WHERE id = $1', [user.id])).rows[0]!.totp_secret;
    expect(stored).not.toContain(user.totpSecret);
    expect(stored).toMatch(/^v1:/);
    expect((await new DeviceClient(api, 'phone-1').signIn(user)).status).toBe(200);

    // The same database behind a server with another key.
    const other = await startServer({
      port: 0,
      host: '127.0.0.1',
      distDir: '/nonexistent',
      api: createApiHandler({ store: () => api.store, accounts: { idleMinutes: 30, maxHours: 12, now: () => api.clock.now, secretKey: Buffer.alloc(32, 2) } }),
    });
    try {
      api.clock.advance(60_000); // a later TOTP step, so the code is not a replay
      const client = new DeviceClient({ ...api, base: `http://127.0.0.1:${(other.address() as AddressInfo).port}` }, 'phone-2');
      const answer = await client.signIn(user);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ error: 'unavailable' });
    } finally {
      other.closeAllConnections();
      await new Promise((done) => other.close(done));
    }
  });
});
