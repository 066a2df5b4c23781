/**
 * Three-way, field-by-field merge of a household, facility or office record [S14]
 * (docs/sync-protocol.md, "Merge and conflicts").
 *
 * `base` is the state the edit was made on (the version the device last pulled), `held` is what
 * the server holds now, `incoming` is the edit. A field only one side changed takes that side's
 * value. A field both changed to different values is a conflict: the server keeps the held value
 * (the one every other device may already have pulled) and reports the incoming one as lost, for
 * someone to settle.
 *
 * "Field" goes down into nested objects, and into arrays whose elements are all objects with a
 * string `id` (persons, trial stays' lists): two people editing different persons of one household
 * do not conflict. Any other array (emergency contacts, doctors, family, agencies have no ids), and
 * any scalar, is one value here; a form's save merges those lists item by item (mergeFormEdit).
 */

import { VACANCY_HISTORY_MAX } from '../domain/vacancy-report';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export interface FieldConflict {
  /** where, e.g. `persons[p-1].medication` or `phone` */
  readonly path: string;
  readonly kept: Json | undefined;
  readonly lost: Json | undefined;
}

export interface MergeResult {
  readonly merged: JsonObject;
  readonly conflicts: readonly FieldConflict[];
}

/**
 * Timestamps of the last edit: both sides always change them, which is not a disagreement.
 * The later one is kept.
 */
const LATEST_WINS = new Set(['updatedAt']);

/**
 * Values that are one report, never merged field by field: a facility's bed report (beds, its time,
 * who, the dates it holds for). Two reports made at once keep the later one whole; mixing them gave
 * one liaison's beds with the other's time and name.
 */
const WHOLE_REPORTS = new Set(['vacancy']);

/**
 * Objects that are one statement, never merged field by field: a facility's 休止・廃止 (its kind and
 * days hold together; a 廃止 from one side and a 休止's last day from the other is neither). Both
 * sides changed it: the held one stays and the other is a conflict, for a person to settle.
 */
const ONE_STATEMENT = new Set(['closure']);

/**
 * Dates that are one period (a trial stay's 開始日 and 終了日, a 機能強化加算 coordinator's months in
 * post; a person's enrolments and an office's periods are lists without ids, each list one value,
 * so the rule does not reach them), merged as one statement: field by field, one phone's
 * corrected 開始日 with another's corrected 終了日 made 11/5〜11/3, which every phone took, its form
 * then refused and the yearly report counted as 0 days. One side alone changed the pair: that side's,
 * whole. Both sides changed a member: the held pair stays and each date of the other is a conflict.
 */
const PERIOD_PAIRS: readonly (readonly [string, string])[] = [
  ['from', 'to'],
  ['fromMonth', 'toMonth'],
];

/**
 * Where a whole report's replaced ones are kept: the report that loses to a later one made at once
 * goes there too, as a report made after it on the same phone would have put it, with what either
 * side moved there (the match reads the history: a weekend's beds lost to tonight's report hid them).
 */
const REPORT_HISTORY: Readonly<Record<string, string>> = { vacancy: 'vacancyHistory' };

function reportTime(v: Json | undefined): number {
  if (!isObject(v) || typeof v['asOf'] !== 'string') return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(v['asOf']);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

interface MergeOptions {
  /**
   * Lists of objects without ids (emergency contacts, doctors, family, agencies) merged item by item
   * where both sides changed them, not taken whole from one side (mergeFormEdit).
   */
  readonly itemLists?: boolean;
}

export function mergeRecord(base: JsonObject, held: JsonObject, incoming: JsonObject, options: MergeOptions = {}): MergeResult {
  const conflicts: FieldConflict[] = [];
  const merged = mergeObject(base, held, incoming, '', conflicts, options);
  return { merged, conflicts };
}

function mergeValue(
  base: Json | undefined,
  held: Json | undefined,
  incoming: Json | undefined,
  path: string,
  key: string,
  conflicts: FieldConflict[],
  options: MergeOptions,
): Json | undefined {
  if (equal(incoming, base)) return held;
  if (equal(held, base) || equal(held, incoming)) return incoming;
  if (LATEST_WINS.has(key) && typeof held === 'string' && typeof incoming === 'string') return held > incoming ? held : incoming;
  if (WHOLE_REPORTS.has(key)) return reportTime(incoming) > reportTime(held) ? incoming : held;
  if (isObject(base) && isObject(held) && isObject(incoming) && !ONE_STATEMENT.has(key)) return mergeObject(base, held, incoming, path, conflicts, options);
  if (isIdList(base) && isIdList(held) && isIdList(incoming)) return mergeIdList(base, held, incoming, path, conflicts, options);
  if (options.itemLists === true && isObjectList(base) && isObjectList(held) && isObjectList(incoming)) return mergeItemList(base, held, incoming);
  conflicts.push({ path, kept: held, lost: incoming });
  return held;
}

function mergeObject(base: JsonObject, held: JsonObject, incoming: JsonObject, path: string, conflicts: FieldConflict[], options: MergeOptions): JsonObject {
  const out: Record<string, Json> = {};
  // Held key order first, then keys only the edit has: the stored text stays stable.
  const keys = [...new Set([...Object.keys(held), ...Object.keys(incoming), ...Object.keys(base)])];
  const periods = periodsBothChanged(base, held, incoming);
  for (const key of keys) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    let value: Json | undefined;
    if (periods.has(key)) {
      value = held[key];
      if (!equal(held[key], incoming[key])) conflicts.push({ path: keyPath, kept: held[key], lost: incoming[key] });
    } else value = mergeValue(base[key], held[key], incoming[key], keyPath, key, conflicts, options);
    if (value !== undefined) out[key] = value;
  }
  for (const [key, historyKey] of Object.entries(REPORT_HISTORY)) {
    const [b, h, i] = [base[key], held[key], incoming[key]];
    if (!isObject(h) || !isObject(i) || equal(h, b) || equal(i, b) || equal(h, i)) continue;
    const lost = out[key] === h ? i : h;
    const historyPath = path === '' ? historyKey : `${path}.${historyKey}`;
    const history: JsonObject[] = [];
    for (const r of [lost, ...objectsIn(held[historyKey]), ...objectsIn(incoming[historyKey])]) {
      if (!history.some((kept) => equal(kept, r))) history.push(r);
    }
    // newest first, as a phone keeps it; the bound is the one every report keeps (historyAfter)
    history.sort((x, y) => reportTime(y) - reportTime(x));
    out[historyKey] = history.slice(0, VACANCY_HISTORY_MAX);
    const at = conflicts.findIndex((c) => c.path === historyPath);
    if (at >= 0) conflicts.splice(at, 1);
  }
  return out;
}

/** The keys of the periods (PERIOD_PAIRS) both sides changed differently: each keeps the held date. */
function periodsBothChanged(base: JsonObject, held: JsonObject, incoming: JsonObject): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const pair of PERIOD_PAIRS) {
    const changed = (side: JsonObject) => pair.some((k) => !equal(side[k], base[k]));
    if (changed(held) && changed(incoming) && !pair.every((k) => equal(held[k], incoming[k]))) for (const k of pair) keys.add(k);
  }
  return keys;
}

function objectsIn(v: Json | undefined): readonly JsonObject[] {
  return Array.isArray(v) ? (v as readonly Json[]).filter(isObject) : [];
}

type IdObject = JsonObject & { readonly id: string };

/**
 * Arrays of records with ids, merged by id: an element one side added is added, one side removed
 * (and the other left alone) is removed, edits inside an element merge as fields. Order: the
 * held order, then elements only the edit added.
 */
function mergeIdList(
  base: readonly IdObject[],
  held: readonly IdObject[],
  incoming: readonly IdObject[],
  path: string,
  conflicts: FieldConflict[],
  options: MergeOptions,
): Json[] {
  const byId = (list: readonly IdObject[]) => new Map(list.map((e) => [e.id, e]));
  const b = byId(base);
  const i = byId(incoming);
  const out: Json[] = [];
  const ids = [...held.map((e) => e.id), ...incoming.map((e) => e.id).filter((id) => !held.some((h) => h.id === id))];
  for (const id of ids) {
    const value = mergeValue(b.get(id), held.find((e) => e.id === id), i.get(id), `${path}[${id}]`, id, conflicts, options);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * A list of objects without ids, merged as items (MergeOptions.itemLists): `held` less the items the
 * edit removed from `base`, plus the items the edit added, each once, in the place of an item it
 * replaced (a corrected contact stays where it was: the first contacts are on the first screen). A contact the edit left alone
 * keeps `held`'s value (a colleague's corrected number stays); one both sides changed is kept in
 * both versions, for a person to see, rather than one lost.
 */
function mergeItemList(base: readonly JsonObject[], held: readonly JsonObject[], incoming: readonly JsonObject[]): Json[] {
  const without = (list: readonly JsonObject[], gone: readonly JsonObject[]) => {
    const left = [...gone];
    return list.filter((e) => {
      const n = left.findIndex((g) => equal(g, e));
      if (n < 0) return true;
      left.splice(n, 1);
      return false;
    });
  };
  const removed = without(base, incoming);
  // what the edit added and `held` does not have yet, each taking the place of an item it replaced
  const adds = without(without(incoming, base), held);
  const out: Json[] = [];
  for (const e of held) {
    const n = removed.findIndex((g) => equal(g, e));
    if (n < 0) {
      out.push(e);
      continue;
    }
    removed.splice(n, 1);
    const replacement = adds.shift();
    if (replacement !== undefined) out.push(replacement);
  }
  return [...out, ...adds];
}

function isObjectList(v: Json | undefined): v is readonly JsonObject[] {
  return Array.isArray(v) && (v as readonly Json[]).every((e) => isObject(e) && !('id' in e));
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIdList(v: Json | undefined): v is readonly IdObject[] {
  if (!Array.isArray(v)) return false;
  const ids = new Set<string>();
  for (const e of v as readonly Json[]) {
    if (!isObject(e) || typeof e['id'] !== 'string' || ids.has(e['id'])) return false;
    ids.add(e['id']);
  }
  return true;
}

/** Deep equality of JSON values (key order does not matter). */
export function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as readonly Json[];
    return a.length === bb.length && a.every((x, n) => equal(x, bb[n]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const ak = Object.keys(ao);
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && equal(ao[k], bo[k]));
}

/**
 * A form's save on the device, over a record that may have changed since the form was opened on
 * `base` (a 見直し recorded, a bed report or a colleague's edit synced): each field the form changed
 * takes the form's value, each other field `held`'s. Where both changed one field, the form wins: it
 * is what the user just chose; the hub sees the push as based on `held` and merges from there. A
 * list without ids (contacts, doctors, family) is merged item by item: a contact added in the form
 * does not bring back the number a colleague corrected meanwhile.
 */
export function mergeFormEdit<T extends object>(base: T, mine: T, held: T): T {
  return formEditMerge(base, mine, held).merged;
}

/**
 * mergeFormEdit's record, with the fields both the form and someone else changed since `base`,
 * each with the form's value (`kept`, what is saved) and the other one (`lost`): for the form to
 * ask before it saves over a colleague's correction it never saw.
 */
export function formEditMerge<T extends object>(base: T, mine: T, held: T): { readonly merged: T; readonly conflicts: readonly FieldConflict[] } {
  const { merged, conflicts } = formMerge(base, mine, held);
  return { merged: merged as unknown as T, conflicts };
}

function formMerge<T extends object>(base: T, mine: T, held: T): MergeResult {
  const json = (v: T) => JSON.parse(JSON.stringify(v)) as JsonObject;
  return mergeRecord(json(base), json(mine), json(held), { itemLists: true });
}
