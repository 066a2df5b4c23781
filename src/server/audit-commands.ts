/**
 * `npm run admin -- list-audit`: what the admin commands changed in a hub's accounts
 * (account_audit, migration 22) and which records they withdrew (admin_audit, migration 5), newest
 * first, so an auditor sees who granted, reset or stopped access to the hub's data, and when.
 * Tab-separated, one row a line: time (Japan), action, subject, detail or reason, who. Logins,
 * names, ids and reasons were typed by people: each field goes through terminalRow.
 */
import type { Store } from './db/store';
import { terminalRow } from './terminal-text';

const JAPAN_OFFSET_MS = 9 * 3_600_000;

/** '2026-11-30T21:00:05+09:00': Japan time to the second, with its offset, sortable as text. */
export function japanTimestamp(at: Date): string {
  return `${new Date(at.getTime() + JAPAN_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

export async function runAuditCommand(store: Store, hub: string, limit: number, out: (line: string) => void): Promise<void> {
  const entries = await store.listAuditTrail(hub, limit);
  if (entries.length === 0) out(`拠点 ${hub} の監査記録はありません。`);
  for (const e of entries) out(terminalRow([japanTimestamp(e.at), e.action, e.subject, e.detail || '-', e.by]));
}
