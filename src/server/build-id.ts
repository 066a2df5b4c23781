/**
 * Which code this is, as the app's 設定 → 「この端末の情報」 and the hub's start-up line say it, for the
 * support desk to compare the two: package.json's version, the checkout's short commit and its date
 * (UTC), e.g. `0.1.0 (96e049b0, 2026-12-07)`. The commit's date, not today's: `npm start` builds at
 * every start, and a bundle that changed with the day would have every phone offered an update with
 * nothing new in it. git gets a few seconds and its failure (not installed, not a checkout: an
 * install from a tarball) leaves `withoutGit` to say what it can; it never holds a build or a start.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function buildId(root: string, withoutGit: (version: string) => string): string {
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    // a package.json that cannot be read names no version; the rest goes on all the same
  }
  try {
    // safe.directory: a checkout owned by another account than the one running (/opt/kyoten-navi) is still read
    const out = execFileSync('git', ['-c', `safe.directory=${root}`, 'log', '-1', '--format=%h %ct'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 3000,
    });
    const [hash, seconds] = out.trim().split(' ');
    if (hash && /^[0-9a-f]+$/.test(hash) && Number(seconds) > 0) return `${version} (${hash}, ${new Date(Number(seconds) * 1000).toISOString().slice(0, 10)})`;
  } catch {
    // no git here
  }
  return withoutGit(version);
}
