/**
 * `npm run admin -- list-access`: the 閲覧記録 entries the phones sent to a hub (who opened, printed
 * or exported what, and when: src/protocol/records.ts accessEntry), newest received first, so that
 * an auditor reads them without SQL over JSON. Tab-separated, one entry a line: the phone's time and
 * the hub's 受付 (both Japan time), what the gap between them says when it is more than a sync's
 * delay ('-' otherwise), who (the name the phone wrote, and the login of the hub user who sent it;
 * an entry naming someone else, taken before the hub checked that, says so), action, household,
 * the entry's reason (what a file or a print held, a share's reason), device. The phone's time is
 * as its clock was set; the 受付 is the hub's, and the listing is ordered and cut (--since) by it.
 * Read only. What phones wrote is printed through terminalRow. Like `list-quarantine
 * --show-content`, the listing is not itself recorded.
 */
import { formatJapanTimestamp, instantAtJapanWallClock, isInstantText } from '../domain/japan-time';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../protocol/evidence-rules';
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
function phoneTimeOf(e: HeldAccessEntry): Date {
  return e.at !== null && isInstantText(e.at) ? new Date(e.at) : e.deviceAt;
}

/** '約3分', '約5時間', '約6日', '約4年': how far apart two times are, for the eye. */
function roughly(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `約${minutes}分`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return `約${hours}時間`;
  const days = Math.round(ms / 86_400_000);
  return days < 365 ? `約${days}日` : `約${Math.round(days / 365)}年`;
}

/**
 * What the phone's time says against the hub's 受付, once they are further apart than a sync takes
 * (the hub's clock tolerance, E7). After the 受付, the phone's clock was ahead: no entry reaches
 * the hub before it is written. Before it, the hub cannot tell a phone that sent late (offline, or its
 * person not signed in to the hub) from one whose clock was behind, and says both.
 */
function clockNote(phoneAt: Date, receivedAt: Date): string {
  const gap = phoneAt.getTime() - receivedAt.getTime();
  if (gap > EVIDENCE_CLOCK_TOLERANCE_MS) return `端末の時計が${roughly(gap)}進んでいた（受付より後の時刻）`;
  if (-gap > EVIDENCE_CLOCK_TOLERANCE_MS) return `受付の${roughly(-gap)}前の時刻（送信が遅れたか、端末の時計が遅れていた）`;
  return '-';
}

/**
 * Who sent it: the name the phone wrote, with the login of the hub user the change is credited to.
 * An entry a hub took before it checked whose it was (E6) may name someone else: it is listed under
 * its sender, by their name on the hub, with the name it gave said beside it.
 */
function whoOf(e: HeldAccessEntry): string {
  if (e.namesAuthor) return `${e.userName || e.authorName}（${e.authorLogin}）`;
  const named = `${e.userName || '-'}（${e.userId ?? '-'}）`;
  return `${e.authorName}（${e.authorLogin}）※記録上の名前は ${named}：送信した職員と異なります`;
}

export async function runAccessCommand(store: Store, o: AccessListing, out: (line: string) => void): Promise<void> {
  const entries = await store.listAccessLog(o.hub, {
    limit: o.limit,
    ...(o.household === undefined ? {} : { householdId: o.household }),
    ...(o.user === undefined ? {} : { user: o.user }),
    ...(o.since === undefined ? {} : { since: startOfJapanDate(o.since) }),
  });
  if (entries.length === 0) out(`拠点 ${o.hub} に該当する閲覧記録はありません。`);
  for (const e of entries) {
    const phoneAt = phoneTimeOf(e);
    out(terminalRow([formatJapanTimestamp(phoneAt), formatJapanTimestamp(e.receivedAt), clockNote(phoneAt, e.receivedAt), whoOf(e), e.action ?? '-', e.householdId ?? '-', e.reason || '-', e.deviceId]));
  }
}
