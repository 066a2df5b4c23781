/**
 * The admin commands about a hub's records [R5]: list them (flagging those the app cannot read),
 * withdraw one from every device, and list the changes the hub refused. Output is tab-separated,
 * one record a line, and never prints a record's content (it is personal): ids, versions, reasons,
 * each through terminalSafe (terminal-text.ts): devices chose those ids and the details quote them.
 */
import { formatJapanTimestamp } from '../domain/japan-time';
import { FUNCTION_BONUS_KIND_LABELS } from '../protocol/constants';
import type { StoredKind } from '../protocol/records';
import type { HouseholdNamedBy } from './db/record-admin';
import { REFUSAL_LABELS } from '../protocol/sync';
import type { AdminIo } from './admin-commands';
import { recordedOperator } from './os-user';
import type { Store } from './db/store';
import { terminalRow, terminalSafe } from './terminal-text';

const KIND_LABELS: Readonly<Record<StoredKind, string>> = {
  household: '世帯',
  facility: '事業所（短期入所）',
  office: '相談支援事業所',
  'case-entry': '緊急対応記録',
  ...FUNCTION_BONUS_KIND_LABELS,
  'month-close': '請求済みの記録',
  'trial-stay': '体験利用',
};

export async function runRecordCommand(
  store: Store,
  command: 'list-records' | 'withdraw-record' | 'list-refusals',
  options: Record<string, unknown>,
  io: AdminIo,
): Promise<void> {
  const hub = options['hub'] as string;
  switch (command) {
    case 'list-records': {
      const all = await store.listRecords(hub, options['kind'] as StoredKind | undefined);
      const bad = all.filter((r) => r.problem !== null);
      const shown = options['invalid'] === true ? bad : all;
      for (const r of shown) {
        const state = r.removed ? '管理者が取り下げ' : r.withdrawn ? '取り下げ' : '有効';
        const check = r.problem === null ? 'OK' : `読み込めません（${r.problem.code}）: ${r.problem.message}`;
        io.out(terminalRow([r.kind, JSON.stringify(r.entityId), r.version, r.officeId ?? '-', state, check, ...(r.label === null ? [] : [r.label])]));
      }
      io.out(`拠点 ${hub}: ${all.length} 件中 ${bad.length} 件はアプリで読み込めません（端末では保留になります）。`);
      if (bad.length > 0) {
        io.out(`端末から取り除くには: npm run admin -- withdraw-record --hub ${hub} --kind <kind> --id '<id>' --reason "<理由>" --yes`);
      }
      return;
    }
    case 'withdraw-record': {
      const kind = options['kind'] as StoredKind;
      const entityId = options['id'] as string;
      const by = recordedOperator(options['by'] as string | undefined, io.operator);
      // Every phone deletes it at its next sync and no command brings it back: the record is shown
      // first, and a mistyped id or kind withdraws nothing.
      // (evidence and a readable 請求済み are never withdrawn: the hub says so below, with or without
      // --yes; a 請求済み no device can read is, and is shown first like any record)
      const record = options['yes'] !== true && kind !== 'case-entry' ? (await store.listRecords(hub, kind)).find((r) => r.entityId === entityId) : undefined;
      const refusedAnyway = kind === 'month-close' && record !== undefined && record.problem === null;
      if (options['yes'] !== true && kind !== 'case-entry' && !refusedAnyway) {
        if (record === undefined) throw new Error(`拠点 ${hub} に ${KIND_LABELS[kind]} ${terminalSafe(JSON.stringify(entityId))} はありません。--kind と --id を確かめてください / no ${kind} ${terminalSafe(JSON.stringify(entityId))} in hub ${hub}`);
        const state = record.removed ? '管理者が取り下げ済み' : record.withdrawn ? '取り下げ済み' : '有効';
        io.out(`取り下げる記録：${KIND_LABELS[kind]} ${terminalSafe(JSON.stringify(entityId))}（版 ${record.version}、事業所 ${terminalSafe(record.officeId ?? '-')}、${state}、${record.problem === null ? 'アプリで読み込める記録です' : `読み込めません: ${terminalSafe(record.problem.message)}`}）`);
        if (record.namedBy !== null) showHouseholdNames(hub, record.namedBy, record.problem === null, io);
        throw new Error(
          `まだ取り下げていません。取り下げると、各端末は次の同期でこの記録を削除し、元に戻すコマンドはありません${record.problem === null ? '（読み込める記録は、ふつう端末で直します）' : ''}。上の記録で正しければ --yes を付けて実行してください / ` +
            'nothing was withdrawn: add --yes to withdraw this record from every device (no command brings it back)',
        );
      }
      const { version } = await store.withdrawRecord({ tenantId: hub, kind, entityId, reason: options['reason'] as string, by });
      io.out(
        `${KIND_LABELS[kind]} ${terminalSafe(JSON.stringify(entityId))} を取り下げました（版 ${version}）。各端末は次の同期でこの記録を削除します。` +
          `取り下げ前の内容・理由・実行者（${terminalSafe(by)}）は監査表 admin_audit に残りました。`,
      );
      return;
    }
    case 'list-refusals': {
      const refusals = await store.listRefusals(hub, (options['limit'] as number | undefined) ?? 100);
      const logins = new Map((await store.listUsers(hub)).map((u) => [u.id, u.loginName]));
      if (refusals.length === 0) io.out(`拠点 ${hub} でサーバーが受け付けなかった変更はありません。`);
      for (const r of refusals) {
        const label = (REFUSAL_LABELS as Readonly<Record<string, string>>)[r.reason] ?? r.reason;
        // the login, as every other command names a user (the hub's internal id is printed nowhere else)
        io.out(terminalRow([formatJapanTimestamp(r.receivedAt), r.deviceId, r.seq, logins.get(r.userId) ?? r.userId, r.kind, JSON.stringify(r.entityId), r.reason, label, r.detail]));
      }
      return;
    }
  }
}

/**
 * What names a household, before it is withdrawn: with --yes the hub refuses while a case or a
 * trial stay does (record-admin.ts refuseWhileHouseholdNamed), so each is shown with what to do.
 */
function showHouseholdNames(hub: string, named: HouseholdNamedBy, readable: boolean, io: AdminIo): void {
  if (named.cases.length === 0 && named.trialStays.length === 0 && named.monthCloses.length === 0) {
    io.out('この世帯を指している体験利用・緊急対応の記録・請求済みの記録はありません。');
    return;
  }
  io.out('この世帯を指している記録：');
  for (const c of named.cases) {
    io.out(`  緊急対応の記録 ${terminalSafe(JSON.stringify(c.caseId))}（受付 ${c.requestedAt === null ? '不明' : formatJapanTimestamp(c.requestedAt)}）`);
  }
  for (const m of named.monthCloses) io.out(`  請求済みの記録 ${terminalSafe(JSON.stringify(m.id))}（${terminalSafe(m.month)}分、上の対応を含む）`);
  for (const t of named.trialStays) {
    io.out(
      `  体験利用 ${terminalSafe(JSON.stringify(t.id))}（${terminalSafe(t.from)}〜${terminalSafe(t.to)}）：先に取り下げるには npm run admin -- withdraw-record --hub ${hub} --kind trial-stay --id '${terminalSafe(t.id)}' --reason "<理由>" --yes`,
    );
  }
  if (!readable) return;
  if (named.cases.length > 0) {
    io.out('緊急対応の記録が指している世帯は、--yes を付けても取り下げられません（対応記録は5年間保存する証跡で、請求はこの世帯を読んで算定します）。');
  } else if (named.trialStays.length > 0) {
    io.out('体験利用が指しているあいだは、--yes を付けても取り下げられません。上の体験利用を先に取り下げてください。');
  }
}
