/**
 * `npm run admin -- list-audit`: what the admin commands changed in a hub's accounts
 * (account_audit, migration 22) and which records they withdrew (admin_audit, migration 5), newest
 * first, so an auditor sees who granted, reset or stopped access to the hub's data, and when.
 * Tab-separated, one row a line: time (Japan), action, subject, detail or reason, who. Logins,
 * names, ids and reasons were typed by people: each field goes through terminalRow.
 */
import { formatJapanTimestamp } from '../domain/japan-time';
import type { Store } from './db/store';
import { terminalRow } from './terminal-text';

export async function runAuditCommand(store: Store, hub: string, limit: number, out: (line: string) => void): Promise<void> {
  const entries = await store.listAuditTrail(hub, limit);
  if (entries.length === 0) out(`拠点 ${hub} の監査記録はありません。`);
  for (const e of entries) out(terminalRow([formatJapanTimestamp(e.at), e.action, e.subject, e.detail || '-', e.by]));
}
