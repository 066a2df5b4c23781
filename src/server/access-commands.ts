/**
 * `npm run admin -- list-access`: the 閲覧記録 entries the phones sent to a hub (who opened, printed
 * or exported what, and when: src/protocol/records.ts accessEntry), newest first, so that an
 * auditor reads them without SQL over JSON. Tab-separated, one entry a line: time (Japan), who
 * (the name the phone wrote, and the login of the hub user it belongs to when known), action,
 * household, the entry's reason (what a file or a print held, a share's reason), device. Read
 * only. What phones wrote is printed through terminalRow. Like `list-quarantine --show-content`,
 * the listing is not itself recorded.
 */
import { formatJapanTimestamp, instantAtJapanWallClock, isInstantText } from '../domain/japan-time';
import type { HeldAccessEntry } from './db/access-log';
import type { Store } from './db/store';
import { terminalRow } from './terminal-text';

export interface AccessListing {
  readonly hub: string;
  readonly household?: string;
  /** a login, a hub user id, or a vault user id */
  readonly user?: string;
  /** a Japan date, YYYY-MM-DD (checked by the command's arguments) */
  readonly since?: string;
  readonly limit: number;
}

/** The start of a Japan date as an instant: '2026-12-01' → 2026-11-30T15:00:00.000Z. */
function startOfJapanDate(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(instantAtJapanWallClock(year, month, day, 0, 0));
}

/** The entry's time when it is one (a newer or broken app's may not be), else when its phone queued it. */
function timeOf(e: HeldAccessEntry): string {
  return formatJapanTimestamp(e.at !== null && isInstantText(e.at) ? e.at : e.deviceAt);
}

function whoOf(e: HeldAccessEntry): string {
  const name = e.userName || e.userId || '-';
  return e.login === null ? name : `${name}（${e.login}）`;
}

export async function runAccessCommand(store: Store, o: AccessListing, out: (line: string) => void): Promise<void> {
  const entries = await store.listAccessLog(o.hub, {
    limit: o.limit,
    ...(o.household === undefined ? {} : { householdId: o.household }),
    ...(o.user === undefined ? {} : { user: o.user }),
    ...(o.since === undefined ? {} : { since: startOfJapanDate(o.since) }),
  });
  if (entries.length === 0) out(`拠点 ${o.hub} に該当する閲覧記録はありません。`);
  for (const e of entries) out(terminalRow([timeOf(e), whoOf(e), e.action ?? '-', e.householdId ?? '-', e.reason || '-', e.deviceId]));
}
