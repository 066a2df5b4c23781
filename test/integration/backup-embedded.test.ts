/**
 * The embedded store's backup and restore (docs/hub-server.md, "Backups that restore"): a copy of
 * the cluster taken while no server runs (refused while one does), and a restore that moves the
 * current cluster aside, puts the copy back and gives the database a new epoch [S15].
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/server/backup-commands';
import { openEmbeddedStore } from '../../src/server/db/embedded-store';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-embedded-backup-'));
chmodSync(dir, 0o711); // under root the embedded PostgreSQL runs as "postgres"
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('[S15] the embedded store: stop, copy, restore', () => {
  it('refuses a copy while the server runs; restores an older copy with a new epoch, keeping the newer cluster aside', async () => {
    const env = { KYOTEN_DATA_DIR: join(dir, 'data') };
    const open = async () => {
      const store = await openEmbeddedStore({ dataDir: env.KYOTEN_DATA_DIR });
      await store.migrate();
      return store;
    };
    let store = await open();
    await store.createTenant({ id: 'hub-before', name: 'バックアップ前' });
    const epochBefore = (await store.hubEpoch('hub-before')).epoch;
    const copy = join(dir, 'nightly');
    await expect(backupDatabase(env, copy, () => undefined)).rejects.toThrow(/止めてから.*stop it first/s);
    await store.close();

    // The server's key files beside the cluster stay out of the copy, and the admin is told so.
    writeFileSync(join(env.KYOTEN_DATA_DIR, 'secret.key'), 'a key\n', { mode: 0o600 });
    const said: string[] = [];
    await backupDatabase(env, copy, (l) => said.push(l));
    expect(existsSync(join(copy, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(copy, 'secret.key'))).toBe(false);
    expect(said.join('\n')).toMatch(/secret\.key.*含まれません.*not in this backup/s);
    await expect(backupDatabase(env, copy, () => undefined)).rejects.toThrow(/never overwrites/);

    store = await open();
    await store.createTenant({ id: 'hub-after', name: 'バックアップ後' }, { action: 'create-hub', subject: 'hub-after', detail: 'name=バックアップ後', by: 'root' });
    await store.close();

    const lines: string[] = [];
    const { epoch } = await restoreDatabase(env, copy, (l) => lines.push(l));
    expect(epoch).not.toBe(epochBefore);
    expect(readdirSync(env.KYOTEN_DATA_DIR).some((name) => name.startsWith('pg.before-restore-'))).toBe(true);
    expect(lines.join('\n')).toContain('pg.before-restore-');
    // the copy holds every record in clear, outside the rotation: the restore says to delete it once checked
    expect(lines.some((l) => /写し .*pg\.before-restore-.*復元を確かめたら、削除してください/.test(l))).toBe(true);
    // the hub made after the copy is named, with the command that makes it again
    expect(lines.at(-1)).toMatch(/ create-hub hub-after（実行者 root）→ npm run admin -- create-hub --hub hub-after --name 'バックアップ後'$/);

    store = await open();
    try {
      expect((await store.hubEpoch('hub-before')).epoch).toBe(epoch);
      await expect(store.createTenant({ id: 'hub-after', name: 'もう一度' })).resolves.toBeUndefined(); // it was not in the copy
    } finally {
      await store.close();
    }
  });

  it('a copy a newer server made is not served: the database it replaced is put back as it was', async () => {
    const env = { KYOTEN_DATA_DIR: join(dir, 'data-newer') };
    const open = async () => {
      const store = await openEmbeddedStore({ dataDir: env.KYOTEN_DATA_DIR });
      await store.migrate();
      return store;
    };
    const sql = async (store: Awaited<ReturnType<typeof open>>, text: string) => (store as unknown as { pool: { query: (t: string) => Promise<unknown> } }).pool.query(text);
    let store = await open();
    await sql(store, `INSERT INTO schema_migrations (version, name) VALUES (999, 'from a newer server')`);
    await store.close();
    const newer = join(dir, 'newer-copy');
    await backupDatabase(env, newer, () => undefined);
    // this hub goes on (without the newer server's migration) and makes a hub of its own since
    store = await openEmbeddedStore({ dataDir: env.KYOTEN_DATA_DIR });
    await sql(store, 'DELETE FROM schema_migrations WHERE version = 999');
    await store.createTenant({ id: 'hub-now', name: 'いまの拠点' });
    await store.close();

    await expect(restoreDatabase(env, newer, () => undefined)).rejects.toThrow(/元のデータベースに戻しました.*put back.*newer server/s);
    store = await open();
    try {
      expect(await store.hubExists('hub-now')).toBe(true);
    } finally {
      await store.close();
    }
  });
});
