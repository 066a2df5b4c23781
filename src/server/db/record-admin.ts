/**
 * An admin's view of a hub's records and the one thing they may do to one from the command line:
 * withdraw it, so every device drops it on its next pull [R4], with a row in admin_audit [R5].
 * Evidence (case entries) is never withdrawn: the hub keeps every entry it accepted, and a device
 * that cannot read one sets it aside [R3].
 */
import type pg from 'pg';
import { foldCase } from '../../domain/case-fold';
import type { CaseEntry } from '../../domain/emergency-case';
import { checkRecordJson, type RecordProblem, type StoredKind } from '../../protocol/records';
import { inTransaction } from './transaction';
import { lockHubHead, moveHubHead } from './hub-head';
import { StoreError } from './store';
import { insertAccountAudit, type AccountAudit } from './account-audit';

export interface AdminRecord {
  readonly kind: StoredKind;
  readonly entityId: string;
  readonly version: number;
  readonly officeId: string | null;
  readonly withdrawn: boolean;
  /** withdrawn by an admin: devices drop it [R4] */
  readonly removed: boolean;
  /** why the app could not read it [R1][R2], or null */
  readonly problem: RecordProblem | null;
  /**
   * A facility's or office's name (and 事業所番号), which is no one's personal data, so that an
   * admin can tell which id to give (create-user --facility); null for other kinds.
   */
  readonly label: string | null;
  /** a household's: the records that name it (withdrawRecord refuses while they do); null for other kinds */
  readonly namedBy: HouseholdNamedBy | null;
}

/**
 * What names a household on the hub: withdrawing it would leave these on every phone (a trial stay,
 * with the person's health notes) or change them (a case re-decided without its household, a
 * 請求済み no longer what its cases now read).
 */
export interface HouseholdNamedBy {
  /** 体験利用 not withdrawn */
  readonly trialStays: readonly { readonly id: string; readonly from: string; readonly to: string }[];
  /** emergency cases whose subject (the open entry, or a link since) is the household: evidence, kept 5 years */
  readonly cases: readonly { readonly caseId: string; readonly requestedAt: string | null }[];
  /** 請求済み records (closes and their 取消) that list one of those cases */
  readonly monthCloses: readonly { readonly id: string; readonly month: string }[];
}

const NAMED_BY_NOTHING: HouseholdNamedBy = { trialStays: [], cases: [], monthCloses: [] };

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function parsed(payloadJson: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payloadJson);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The household a case entry's open or link names (or its correction's replacement names), if any. */
function subjectIn(entry: CaseEntry): string | null | undefined {
  const body = entry.body.type === 'correction' ? entry.body.replacement : entry.body;
  return body !== null && (body.type === 'open' || body.type === 'link') ? body.subject?.householdId : undefined;
}

/**
 * Who names which household, read from the hub's trial stays, case entries and 請求済み records.
 * Parsed here, not cast in SQL: a record no one can read (what withdraw-record is for) must not
 * stop the reading; it names nothing. A case names its subject as it stands (foldCase); one that
 * cannot be folded names every household any of its entries names.
 */
async function readHouseholdNames(q: Queryable, tenantId: string): Promise<Map<string, HouseholdNamedBy>> {
  const rows = (
    await q.query<{ kind: string; entity_id: string; payload_json: string }>(
      `SELECT kind, entity_id, payload_json FROM records
        WHERE tenant_id = $1 AND (kind = 'case-entry' OR (kind IN ('trial-stay', 'month-close') AND NOT withdrawn))
        ORDER BY version`,
      [tenantId],
    )
  ).rows;
  const named = new Map<string, { trialStays: HouseholdNamedBy['trialStays'][number][]; cases: HouseholdNamedBy['cases'][number][]; monthCloses: HouseholdNamedBy['monthCloses'][number][] }>();
  const of = (householdId: string) => {
    let n = named.get(householdId);
    if (n === undefined) named.set(householdId, (n = { trialStays: [], cases: [], monthCloses: [] }));
    return n;
  };
  const entriesOf = new Map<string, CaseEntry[]>();
  for (const r of rows) {
    const payload = parsed(r.payload_json);
    if (payload === null) continue;
    if (r.kind === 'trial-stay' && typeof payload['householdId'] === 'string') {
      of(payload['householdId']).trialStays.push({ id: r.entity_id, from: String(payload['from'] ?? ''), to: String(payload['to'] ?? '') });
    } else if (r.kind === 'case-entry' && typeof payload['caseId'] === 'string' && typeof payload['body'] === 'object' && payload['body'] !== null) {
      const held = entriesOf.get(payload['caseId']) ?? [];
      held.push(payload as unknown as CaseEntry);
      entriesOf.set(payload['caseId'], held);
    }
  }
  const householdOfCase = new Map<string, string>();
  for (const [caseId, entries] of entriesOf) {
    entries.sort((a, b) => Number(a.index) - Number(b.index));
    let households: string[];
    let requestedAt: string | null = null;
    try {
      const c = foldCase(entries);
      households = c.subject.householdId === null ? [] : [c.subject.householdId];
      requestedAt = c.open.body.requestedAt;
    } catch {
      households = [...new Set(entries.map(subjectIn).filter((h): h is string => typeof h === 'string'))];
    }
    for (const h of households) {
      of(h).cases.push({ caseId, requestedAt });
      householdOfCase.set(caseId, h);
    }
  }
  for (const r of rows) {
    if (r.kind !== 'month-close') continue;
    const payload = parsed(r.payload_json);
    const body = payload?.['body'] as { cases?: unknown } | undefined;
    const month = String(payload?.['month'] ?? '');
    const households = new Set<string>();
    if (Array.isArray(body?.cases)) {
      for (const c of body.cases as { caseId?: unknown }[]) {
        const h = typeof c?.caseId === 'string' ? householdOfCase.get(c.caseId) : undefined;
        if (h !== undefined) households.add(h);
      }
    }
    for (const h of households) of(h).monthCloses.push({ id: r.entity_id, month });
  }
  return named;
}

function labelOf(kind: StoredKind, payloadJson: string): string | null {
  if (kind !== 'facility' && kind !== 'office') return null;
  try {
    const data = JSON.parse(payloadJson) as { name?: unknown; officeNumber?: unknown };
    const name = typeof data.name === 'string' ? data.name : '';
    const number = typeof data.officeNumber === 'string' && data.officeNumber !== '' ? `（${data.officeNumber}）` : '';
    return name === '' && number === '' ? null : `${name}${number}`;
  } catch {
    return null;
  }
}

export interface WithdrawRecord {
  readonly tenantId: string;
  readonly kind: StoredKind;
  readonly entityId: string;
  readonly reason: string;
  /** who: the OS user running the command, or its --by */
  readonly by: string;
}

export interface AuditEntry {
  readonly action: 'withdraw-record';
  readonly kind: string;
  readonly entityId: string;
  readonly version: number;
  readonly previousVersion: number;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** A record an admin withdrew: what pull hands out in its place (withdrawn, payload null) [R4]. */
export const REMOVED_PAYLOAD = 'null';

/** Every record of a hub (or of one kind), oldest first, each checked as the app would read it. */
export async function listRecords(pool: pg.Pool, tenantId: string, kind?: StoredKind): Promise<AdminRecord[]> {
  const names = kind === undefined || kind === 'household' ? await readHouseholdNames(pool, tenantId) : new Map<string, HouseholdNamedBy>();
  const rows = await pool.query<{ kind: StoredKind; entity_id: string; version: string; office_id: string | null; withdrawn: boolean; payload_json: string }>(
    `SELECT kind, entity_id, version, office_id, withdrawn, payload_json FROM records
      WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY version`,
    [tenantId, kind ?? null],
  );
  return rows.rows.map((r) => {
    const removed = r.withdrawn && r.payload_json === REMOVED_PAYLOAD;
    return {
      kind: r.kind,
      entityId: r.entity_id,
      version: Number(r.version),
      officeId: r.office_id,
      withdrawn: r.withdrawn,
      removed,
      problem: removed ? null : checkRecordJson(r.kind, r.entity_id, r.payload_json),
      label: removed ? null : labelOf(r.kind, r.payload_json),
      namedBy: r.kind === 'household' ? (names.get(r.entity_id) ?? NAMED_BY_NOTHING) : null,
    };
  });
}

/**
 * Withdraws one record: it takes the next version (so every device sees it on its next pull),
 * is marked withdrawn with nothing in it, and what it held goes into admin_audit with who and why.
 * Throws StoreError: 'bad-request' for evidence, a readable 請求済み or a record already withdrawn, 'not-found'.
 */
export async function withdrawRecord(pool: pg.Pool, w: WithdrawRecord): Promise<{ readonly version: number }> {
  if (w.kind === 'case-entry') {
    throw new StoreError('bad-request', 'case entries are evidence and are never withdrawn; a device that cannot read one sets it aside');
  }
  return inTransaction(pool, async (tx) => {
    // [S2] The hub's counter first, as a push takes it: versions stay in commit order with no hole.
    const { head } = await lockHubHead(tx, w.tenantId);
    const held = (
      await tx.query<{ version: string; withdrawn: boolean; payload_json: string }>(
        'SELECT version, withdrawn, payload_json FROM records WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3 FOR UPDATE',
        [w.tenantId, w.kind, w.entityId],
      )
    ).rows[0];
    if (held === undefined) throw new StoreError('not-found', `no ${w.kind} ${JSON.stringify(w.entityId)} in hub ${w.tenantId}`);
    if (held.withdrawn && held.payload_json === REMOVED_PAYLOAD) {
      throw new StoreError('bad-request', `${w.kind} ${JSON.stringify(w.entityId)} was already withdrawn by an admin`);
    }
    // A 請求済み is the claim as sent, written once [S6]: undone by its 取消 in the app, which keeps
    // both. Only one no device can read (a poison record, what this command is for) is withdrawn.
    if (w.kind === 'month-close' && checkRecordJson(w.kind, w.entityId, held.payload_json) === null) {
      throw new StoreError(
        'bad-request',
        `請求済みの記録は取り下げられません。アプリの「請求・出力」で請求済みを取り消してください（取消の理由が残ります） / a month-close is the claim as sent and is never withdrawn while readable: cancel it in the app (請求済みを取り消す), which keeps both`,
      );
    }
    if (w.kind === 'office' && checkRecordJson(w.kind, w.entityId, held.payload_json) === null) await refuseWhileNamed(tx, w);
    if (w.kind === 'household' && checkRecordJson(w.kind, w.entityId, held.payload_json) === null) {
      refuseWhileHouseholdNamed(w, (await readHouseholdNames(tx, w.tenantId)).get(w.entityId) ?? NAMED_BY_NOTHING);
    }
    const version = head + 1;
    await tx.query(
      `UPDATE records SET version = $4, withdrawn = true, payload_json = $5, received_at = now()
        WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3`,
      [w.tenantId, w.kind, w.entityId, version, REMOVED_PAYLOAD],
    );
    await moveHubHead(tx, w.tenantId, version);
    await tx.query(
      `INSERT INTO admin_audit (tenant_id, action, kind, entity_id, version, previous_version, previous_payload_json, reason, done_by)
       VALUES ($1, 'withdraw-record', $2, $3, $4, $5, $6, $7, $8)`,
      [w.tenantId, w.kind, w.entityId, version, Number(held.version), held.payload_json, w.reason, w.by],
    );
    return { version };
  });
}

/**
 * An office a case, a 請求済み, a household or a user names is not withdrawn: every phone would drop
 * it, and its past cases would read 算定不可 (「対応した相談支援事業所が登録されていません」), its
 * 請求済み months could no longer be opened and its evidence report not printed, with no way back (its
 * id cannot be made again). An office closed or merged ends its 拠点 period instead.
 */
async function refuseWhileNamed(tx: pg.PoolClient, w: WithdrawRecord): Promise<void> {
  const named = (
    await tx.query<{ what: string; n: number }>(
      `SELECT kind AS what, count(*)::int AS n FROM records
        WHERE tenant_id = $1 AND NOT withdrawn AND kind IN ('case-entry', 'month-close', 'household')
          -- the office a record is held under, or (a case) the office its request names: a case
          -- claimed by this office for another office's household is held under the household's
          AND (office_id = $2 OR (kind = 'case-entry' AND payload_json::jsonb #>> '{body,officeId}' = $2))
        GROUP BY kind
       UNION ALL
       SELECT 'user', count(*)::int FROM users WHERE tenant_id = $1 AND office_id = $2 AND NOT disabled HAVING count(*) > 0`,
      [w.tenantId, w.entityId],
    )
  ).rows;
  if (named.length === 0) return;
  const words: Record<string, string> = { 'case-entry': '対応記録のエントリ', 'month-close': '請求済みの記録', household: '世帯', user: '有効な職員' };
  const counts = named.map((r) => `${words[r.what] ?? r.what} ${r.n}件`).join('、');
  throw new StoreError(
    'bad-request',
    `この事業所は取り下げられません（${counts}がこの事業所を指しています）。取り下げると、過去の対応が算定不可になり、請求済みの月や証跡レポートが開けなくなります。廃止・統合した事業所は、端末の「設定」の「事業所（相談強化加算）」で拠点の期間に終了日を入れてください / ` +
      `office ${JSON.stringify(w.entityId)} is named by ${named.map((r) => `${r.n} ${r.what}`).join(', ')}: withdrawing it would make its past cases unclaimable; end its hub period instead`,
  );
}

/**
 * A household a case names is not withdrawn: the case is evidence, kept 5 years, and its claim reads
 * the household (a 児's case would be re-decided as 計画相談支援, its 請求済み no longer what it reads).
 * Nor one a trial stay names: the stay, with the person's health notes, would stay on every phone
 * with no household to reach it from; those are withdrawn first, each by its own command.
 * A person's request to erase their data is not this command's (what must be kept 5 years).
 */
export function refuseWhileHouseholdNamed(w: Pick<WithdrawRecord, 'tenantId' | 'entityId'>, named: HouseholdNamedBy): void {
  if (named.cases.length === 0 && named.trialStays.length === 0) return;
  const ja: string[] = [];
  const en: string[] = [];
  if (named.cases.length > 0) {
    ja.push(`緊急対応の記録 ${named.cases.length}件（${named.cases.map((c) => c.caseId).join('、')}）がこの世帯を指しています。対応記録は5年間保存する証跡で、請求はこの世帯を読んで算定します`);
    en.push(`${named.cases.length} case(s) (${named.cases.map((c) => c.caseId).join(', ')}) name it: evidence kept 5 years, whose claim reads the household`);
  }
  if (named.monthCloses.length > 0) ja.push(`請求済みの記録 ${named.monthCloses.length}件（${named.monthCloses.map((m) => `${m.month} ${m.id}`).join('、')}）がその対応を含んでいます`);
  if (named.trialStays.length > 0) {
    const commands = named.trialStays.map((t) => `npm run admin -- withdraw-record --hub ${w.tenantId} --kind trial-stay --id '${t.id}' --reason "<理由>" --yes`);
    ja.push(`体験利用 ${named.trialStays.length}件がこの世帯を指しています。先に取り下げてください: ${commands.join(' ; ')}`);
    en.push(`${named.trialStays.length} trial stay(s) name it: withdraw them first (withdraw-record --kind trial-stay --id …)`);
  }
  throw new StoreError('bad-request', `この世帯は取り下げられません。${ja.join('。')}。 / household ${JSON.stringify(w.entityId)} is not withdrawn: ${en.join('; ')}`);
}

/**
 * The hub's own office record (issue 14: offices are one record, kept by the hub): the scope row
 * (offices) and the record every device pulls, written together at the next version, credited to
 * no user (the command line). The record must be one the app reads ([R2], officeRecord). Throws
 * StoreError: 'bad-request' for a record the app could not read, 'exists' when the id is taken.
 * With `audit`, its account_audit row is written in the same transaction (create-office).
 */
export async function putHubOffice(
  pool: pg.Pool,
  tenantId: string,
  office: { readonly id: string; readonly name: string },
  audit?: AccountAudit,
): Promise<{ readonly version: number }> {
  const payloadJson = JSON.stringify(office);
  const problem = checkRecordJson('office', office.id, payloadJson);
  if (problem !== null) throw new StoreError('bad-request', `office ${office.id}: ${problem.message}`);
  return inTransaction(pool, async (tx) => {
    const taken = await tx.query('SELECT tenant_id FROM offices WHERE id = $1', [office.id]);
    if (taken.rows.length > 0) throw new StoreError('exists', `office ${office.id}`);
    const tenant = await tx.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (tenant.rows.length === 0) throw new StoreError('not-found', `no hub ${tenantId}`);
    // [S2] The hub's counter first, as a push takes it: versions stay in commit order with no hole.
    const { head } = await lockHubHead(tx, tenantId);
    const version = head + 1;
    await tx.query('INSERT INTO offices (id, tenant_id, name) VALUES ($1, $2, $3)', [office.id, tenantId, office.name]);
    await tx.query(
      `INSERT INTO records (tenant_id, kind, entity_id, version, office_id, withdrawn, payload_json, updated_by, received_at)
       VALUES ($1, 'office', $2, $3, NULL, false, $4, NULL, now())`,
      [tenantId, office.id, version, payloadJson],
    );
    // No record_versions row: it names a change, and this write has none. An admin's edit names
    // this version as its base, which is the record held, so it needs no merge base.
    await moveHubHead(tx, tenantId, version);
    if (audit !== undefined) await insertAccountAudit(tx, tenantId, audit);
    return { version };
  });
}

export async function listAudit(pool: pg.Pool, tenantId: string): Promise<AuditEntry[]> {
  const rows = await pool.query<{
    action: 'withdraw-record';
    kind: string;
    entity_id: string;
    version: string;
    previous_version: string;
    reason: string;
    done_by: string;
    done_at: Date;
  }>(
    `SELECT action, kind, entity_id, version, previous_version, reason, done_by, done_at
       FROM admin_audit WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  return rows.rows.map((r) => ({
    action: r.action,
    kind: r.kind,
    entityId: r.entity_id,
    version: Number(r.version),
    previousVersion: Number(r.previous_version),
    reason: r.reason,
    by: r.done_by,
    at: r.done_at.toISOString(),
  }));
}
