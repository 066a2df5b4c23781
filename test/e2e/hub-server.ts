/**
 * A hub server for the end-to-end tests that sync phones: the real HTTP API over real PostgreSQL
 * (its own schema, dropped at the end), serving the built app, with coordinators made through
 * the accounts service and, unless told otherwise, a signing key (the hub countersigns evidence).
 * And the steps every such test takes on a phone: join, wait for a sync, sync now.
 */
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { startServer } from '../../src/server/app-server';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { SqlStore } from '../../src/server/db/sql-store';
import { createApiHandler } from '../../src/server/http/api';
import { createAccounts } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { generateHubKey } from '../../src/server/services/hub-key';

export const HUB_PASSWORD = 'e2e-hub-password-2026';

export interface HubUser {
  readonly id: string;
  readonly loginName: string;
  readonly totpSecret: string;
}

export interface E2eHub {
  readonly hub: string;
  readonly store: SqlStore;
  readonly accounts: ReturnType<typeof createAccounts>;
  readonly baseUrl: string;
  /** a pool on the hub's schema, for what only SQL shows */
  readonly raw: pg.Pool;
  /** a coordinator (or another role) with a password and a TOTP secret */
  user(id: string, displayName: string, role?: 'coordinator' | 'admin'): Promise<HubUser>;
  close(): Promise<void>;
}

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function startE2eHub(hub: string, options: { readonly offices?: readonly string[]; readonly signs?: boolean } = {}): Promise<E2eHub> {
  const schema = `e2e_${hub.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${Date.now()}`;
  const store = await openPostgresStore({ connectionString: url, schema });
  await store.migrate();
  await store.createTenant({ id: hub, name: 'e2e 拠点' });
  for (const office of options.offices ?? []) await store.createOffice({ id: office, tenantId: hub, name: `相談支援事業所 ${office}` });
  const config = { idleMinutes: 30, maxHours: 12, now: () => new Date() };
  const accounts = createAccounts(store, config);
  const hubKey = options.signs === false ? undefined : generateHubKey();
  const server: Server = await startServer({
    port: 0,
    host: '127.0.0.1',
    distDir: resolve(import.meta.dirname, '../../dist'),
    api: createApiHandler({ store: () => store, accounts: config, ...(hubKey ? { hubKey: () => hubKey } : {}) }),
  });
  const raw = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  return {
    hub,
    store,
    accounts,
    raw,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async user(id, displayName, role = 'coordinator') {
      const { totpSecret } = await accounts.createUser({ id, tenantId: hub, role, loginName: id, displayName, password: HUB_PASSWORD });
      return { id, loginName: id, totpSecret };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await store.close();
      await raw.end();
      const pool = new pg.Pool({ connectionString: url });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}

export const statusLine = (page: Page) => page.getByRole('link', { name: /^同期の状態/ });

/**
 * The status line says only when the last sync succeeded: nothing waits to be sent, nothing is
 * running or refused. (「未送信 1件・最終同期 …」 is a phone whose last sync is older than its change.)
 * A field settled against this phone's edit, waiting to be looked at, may lead it (「重なり 1件・」).
 */
export async function synced(page: Page): Promise<void> {
  await expect
    .poll(async () => (await statusLine(page).getAttribute('aria-label')) ?? '', { timeout: 30_000 })
    .toMatch(/：(重なり \d+件・)?最終同期 \d+\/\d+ \d\d:\d\d$/);
}

/** Fills the hub's sign-in form (hub id only when it is asked) and presses `button`. */
export async function fillSignIn(page: Page, hub: E2eHub, user: HubUser, button: string): Promise<void> {
  // The form is there once its login field is; the hub id is asked only when joining.
  await page.getByLabel('ログインID').waitFor();
  const hubField = page.getByLabel('拠点ID');
  if ((await hubField.count()) > 0) await hubField.fill(hub.hub);
  await page.getByLabel('ログインID').fill(user.loginName);
  await page.getByLabel('パスワード', { exact: true }).fill(HUB_PASSWORD);
  await page.getByLabel('確認コード（6桁）').fill(totpCode(user.totpSecret, new Date()));
  await page.getByRole('button', { name: button }).click();
}

/** Opens 「拠点サーバーと同期」 and joins the hub as `user`; waits for the first sync to finish. */
export async function joinHub(page: Page, hub: E2eHub, user: HubUser): Promise<void> {
  await page.goto(`${hub.baseUrl}/#/settings/sync`);
  await fillSignIn(page, hub, user, 'サインインして参加');
  await synced(page);
}

/**
 * 「今すぐ同期」 from the settings, and wait until it went through: its pull answered (from the page
 * or its pull worker), then the line says so. The line alone still showed the last sync's time
 * before this one began, and a phone with nothing to send went on before it had pulled.
 */
export async function syncNow(page: Page, hub: E2eHub): Promise<void> {
  await page.goto(`${hub.baseUrl}/#/settings/sync`);
  const pulled = page.context().waitForEvent('response', { predicate: (r) => r.url().includes('/api/sync/pull'), timeout: 60_000 });
  await page.getByRole('button', { name: '今すぐ同期' }).click();
  await pulled;
  await synced(page);
}
