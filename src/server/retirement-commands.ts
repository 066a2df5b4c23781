/**
 * The admin's view of retirement (`npm run admin -- list-devices | list-quarantine |
 * resolve-quarantine`): each device's state (with when it was registered and last in touch), and
 * the changes retired devices sent that the hub
 * refused and keeps (docs/sync-protocol.md "Retirement"). Output is tab-separated, one row a line,
 * times in Japan time (+09:00) as in every admin listing;
 * what devices sent (ids, names, details) is printed through terminalRow (terminal-text.ts).
 */
import { formatJapanTimestamp } from '../domain/japan-time';
import type { DeviceListing } from './db/retirement-sql';
import type { Store } from './db/store';
import { terminalRow, terminalSafe, terminalSafeJson } from './terminal-text';
import type { AccountAudit } from './db/account-audit';

/** What an admin needs to know of a device: in use, or how far its retirement got. */
export function retirementState(d: DeviceListing): string {
  if (!d.retired) return '有効';
  const quarantined = d.quarantinedOpen > 0 ? `隔離 ${d.quarantinedOpen}件（未対応）` : d.quarantined > 0 ? `隔離 ${d.quarantined}件（対応済み）` : null;
  const steps = [
    d.wipedAt !== null ? `消去済み ${formatJapanTimestamp(d.wipedAt)}` : d.retireSentAt !== null ? `送信済み ${formatJapanTimestamp(d.retireSentAt)}（消去の連絡待ち）` : '停止（端末からの送信待ち）',
    ...(quarantined === null ? [] : [quarantined]),
  ];
  return steps.join('、');
}

export async function runRetirementCommand(
  store: Store,
  command: 'list-devices' | 'list-quarantine' | 'resolve-quarantine',
  o: { readonly hub: string; readonly id?: number; readonly note?: string; readonly showContent?: boolean; readonly audit?: AccountAudit },
  out: (line: string) => void,
  now: () => Date,
): Promise<void> {
  switch (command) {
    case 'list-devices': {
      const devices = await store.listDevices(o.hub);
      if (devices.length === 0) out(`拠点 ${o.hub} に端末はありません。`);
      // registered and last seen in Japan time, as every admin listing prints its times
      for (const d of devices) {
        out(terminalRow([d.id, d.name || '-', d.loginName, formatJapanTimestamp(d.registeredAt), d.lastSeenAt === null ? '-' : formatJapanTimestamp(d.lastSeenAt), `seq ${d.lastSeq}`, retirementState(d)]));
      }
      return;
    }
    case 'list-quarantine': {
      // The change as sent is 要配慮個人情報 (a household's health, a case's words): not printed for
      // every row into a terminal's scrollback, only for the one row asked for, to type it in again.
      const items = (await store.listQuarantine(o.hub)).filter((q) => o.id === undefined || q.id === Number(o.id));
      if (items.length === 0) out(o.id === undefined ? `拠点 ${o.hub} に隔離された変更はありません。` : `拠点 ${o.hub} に隔離 #${o.id} はありません。`);
      for (const q of items) {
        const state = q.resolvedAt === null ? '未対応' : `対応済み ${formatJapanTimestamp(q.resolvedAt)}: ${q.resolution}`;
        const row = terminalRow([`#${q.id}`, q.deviceId, `seq ${q.seq}`, q.kind, q.entityId, q.reason, q.detail, state]);
        out(o.showContent === true ? [row, terminalSafeJson(q.changeJson)].join('\t') : row);
      }
      if (items.length > 0 && o.showContent !== true) {
        out(`変更の内容（要配慮個人情報を含みます）は、1件ずつ --id <番号> --show-content で表示します / the change itself: --id <n> --show-content, one row at a time`);
      }
      return;
    }
    case 'resolve-quarantine':
      await store.resolveQuarantined(o.hub, o.id!, o.note!, now(), o.audit);
      out(`隔離 #${o.id} を対応済みにしました（記録は残ります）。${o.audit ? `この操作は監査表 account_audit に記録しました（実行者 ${terminalSafe(o.audit.by)}）。` : ''}`);
  }
}
