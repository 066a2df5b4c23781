// @vitest-environment node
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, createPrivateFile } from './backup-commands';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-backup-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Stands in for pg_dump as it writes --file: under a permissive umask (022), opening the file for
 * writing (creating it, or truncating it and keeping its mode, as pg_dump's fopen does).
 */
function fakePgDump(name: string, body = 'printf "PGDMP fake dump" > "$file"'): string {
  const script = join(dir, name);
  writeFileSync(
    script,
    `#!/bin/sh
umask 022
for arg in "$@"; do case "$arg" in --file=*) file="\${arg#--file=}";; esac; done
${body}
`,
  );
  chmodSync(script, 0o755);
  return script;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('backup over DATABASE_URL: the dump holds the whole hub, so only its owner may read it', () => {
  it('the dump file is written with mode 0600 whatever the umask', async () => {
    const file = join(dir, 'nightly.dump');
    const lines: string[] = [];
    await backupDatabase({ DATABASE_URL: 'postgres://kyoten@127.0.0.1:1/none', PG_DUMP: fakePgDump('pg_dump-ok') }, file, (l) => lines.push(l));
    expect(readFileSync(file, 'utf8')).toBe('PGDMP fake dump');
    expect(mode(file)).toBe(0o600);
    expect(lines).toEqual([`backed up the database to ${file} (pg_dump custom format)`]);
  });

  it('a pg_dump that fails leaves no file behind, so the next try is not refused', async () => {
    const file = join(dir, 'failed.dump');
    const env = { DATABASE_URL: 'postgres://kyoten@127.0.0.1:1/none', PG_DUMP: fakePgDump('pg_dump-fails', 'printf partial > "$file"; echo "connection refused" >&2; exit 1') };
    await expect(backupDatabase(env, file, () => undefined)).rejects.toThrow(/pg_dump-fails failed:\nconnection refused/);
    expect(existsSync(file)).toBe(false);
    await expect(backupDatabase({ ...env, PG_DUMP: join(dir, 'no-such-pg_dump') }, file, () => undefined)).rejects.toThrow(/was not found/);
    expect(existsSync(file)).toBe(false);
  });

  it('createPrivateFile makes an empty 0600 file and never opens one that exists', () => {
    const file = join(dir, 'private');
    createPrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(statSync(file).size).toBe(0);
    writeFileSync(file, 'an older backup');
    expect(() => createPrivateFile(file)).toThrow(/exists already: a backup never overwrites another/);
    expect(readFileSync(file, 'utf8')).toBe('an older backup');
  });
});
