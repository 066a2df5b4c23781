/**
 * Sync figures (issue 5), in headless Chromium on loopback, ours and PouchDB's side by side in the
 * same run, over the same 10,000 households and 1,000 facilities of the demo generator:
 *   (a) first sync to a fresh device, until every record is on it;
 *   (b) draining 1,000 household edits made offline, until the server holds them all.
 * Goal: ours at most half the peer's time. Ours: bench/sync-ours.ts; the peer: bench/sync-peer.ts,
 * with PouchDB's default replication settings (the goal's verdict) and, printed after, with its
 * batch_size set to our pull page, its main replication setting, so the comparison does not rest
 * on its small default pages alone.
 * Run alone with `BENCH_ONLY=sync npm run bench` (add BENCH_SKIP_BUILD=1 after a build);
 * BENCH_SYNC_RUNS rounds (default 3), each PouchDB, ours, PouchDB tuned in turn, each on a fresh
 * device and a freshly seeded server. The machine's load moves both sides' times a lot (the peer's
 * first sync took 11-26 s on this machine); compare the ratios of one run, on one machine.
 */
import { PULL_PAGE } from '../src/sync/engine';
import { median, ms, verdict } from './stats';
import { SYNC_EDITS, SYNC_FACILITIES, SYNC_HOUSEHOLDS, syncFixture, type SyncRound } from './sync-fixture';
import { benchOurSync } from './sync-ours';
import { benchPeerSync } from './sync-peer';

const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);

function line(label: string, ours: readonly number[], peer: readonly number[], peerLabel = 'PouchDB'): string {
  const o = median(ours);
  const p = median(peer);
  const ratio = o / p;
  return (
    `\n  ${label}: ours ${ms(o)}, ${peerLabel} ${ms(p)}, ratio ${ratio.toFixed(2)}  ${verdict(ratio, 0.5)}` +
    (ours.length > 1
      ? `\n    medians of ${ours.length} rounds; per round (ours / PouchDB): ${ours.map((t, i) => `${ms(t)} / ${ms(peer[i]!)} = ${(t / peer[i]!).toFixed(2)}`).join(', ')}`
      : '')
  );
}

function parts(rounds: readonly SyncRound[]): string {
  const keys = Object.keys(rounds[0]?.parts ?? {});
  return keys.map((k) => `\n    ${k}: ${ms(median(rounds.map((r) => r.parts?.[k] ?? 0)))}`).join('');
}

export async function benchSync(distDir: string): Promise<void> {
  const fixture = syncFixture();
  // Rounds alternate, so a busy moment of the machine falls on both sides alike.
  const peer: SyncRound[] = [];
  const tuned: SyncRound[] = [];
  const ours: SyncRound[] = [];
  for (let i = 0; i < RUNS; i++) {
    peer.push(await benchPeerSync(fixture));
    ours.push(await benchOurSync(fixture, distDir));
    tuned.push(await benchPeerSync(fixture, PULL_PAGE));
  }
  console.log(
    `\nSync, ${SYNC_HOUSEHOLDS.toLocaleString()} households + ${SYNC_FACILITIES.toLocaleString()} facilities, headless Chromium on loopback (ratio = ours / PouchDB, goal ≤ 0.5):` +
      line('(a) first sync to a fresh device', ours.map((r) => r.firstSync), peer.map((r) => r.firstSync)) +
      line(`(b) draining ${SYNC_EDITS.toLocaleString()} offline household edits`, ours.map((r) => r.drain), peer.map((r) => r.drain)) +
      `\n  against PouchDB tuned to our page size (batch_size ${PULL_PAGE} instead of its default 100):` +
      line('(a) first sync', ours.map((r) => r.firstSync), tuned.map((r) => r.firstSync), 'PouchDB tuned') +
      line('(b) draining', ours.map((r) => r.drain), tuned.map((r) => r.drain), 'PouchDB tuned') +
      `\n  ours: the app's vault (IndexedDB, AES-GCM) and sync engine, the hub's HTTP API over PostgreSQL; ${ours[0]!.detail}` +
      `\n    (a) includes sign-in (argon2id + TOTP) and enrolment; (b) is one sync run: push, then the pull that brings the edits back` +
      `\n    where the time went (medians):${parts(ours)}` +
      `\n  PouchDB: pouchdb-browser → express-pouchdb over the memory adapter, ${peer[0]!.detail}`,
  );
}
