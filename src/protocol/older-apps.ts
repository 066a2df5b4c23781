/**
 * What a change leaves out because the sending phone did not know it, kept from the record the hub
 * holds. An app from before contacts had readings saves a household's contacts without `furigana`
 * (its form's check drops keys it does not know): its edit of anything else in the household
 * would take every reading a newer phone typed. A newer app writes the key for every contact it
 * edits ('' when none is known); one it did not touch, or a record it saved outside the form (a
 * 見直し, a 登録廃止), may come without it too. A contact without the key reads as "not known on
 * the sending phone", and the reading held for the same contact stays.
 *
 * An app from before 見直し were recorded (「見直しを記録」) drops `reviews` the same way: its edit
 * kept as sent took every review the hub held, and a household without the key stored whole. A
 * newer app always writes the list ([] for none), so a household without the key keeps the held one.
 */
import { readHousehold } from '../domain/household';
import type { Json } from './merge';

type Obj = { readonly [key: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a household came with a contact without its reading key: from an older app, or a record saved before. */
export function lacksReadings(incoming: Json): boolean {
  const contacts = isObj(incoming) ? incoming['emergencyContacts'] : undefined;
  return Array.isArray(contacts) && contacts.some((c) => isObj(c) && !('furigana' in c));
}

/**
 * `incoming` with the reading of each contact that came without one taken from `held`'s contact of
 * the same name (the n-th of that name for the n-th), or `incoming` itself when there is none to keep.
 */
export function withHeldReadings(held: Json, incoming: Json): Json {
  if (!isObj(held) || !isObj(incoming)) return incoming;
  const heldContacts = held['emergencyContacts'];
  const contacts = incoming['emergencyContacts'];
  if (!Array.isArray(heldContacts) || !Array.isArray(contacts) || !lacksReadings(incoming)) return incoming;
  const readings = new Map<string, string[]>();
  for (const c of heldContacts) {
    if (!isObj(c) || typeof c['name'] !== 'string') continue;
    const list = readings.get(c['name']) ?? [];
    list.push(typeof c['furigana'] === 'string' ? c['furigana'] : '');
    readings.set(c['name'], list);
  }
  const seen = new Map<string, number>();
  let kept = false;
  const next = contacts.map((c) => {
    if (!isObj(c) || typeof c['name'] !== 'string') return c;
    const n = seen.get(c['name']) ?? 0;
    seen.set(c['name'], n + 1);
    const reading = readings.get(c['name'])?.[n] ?? '';
    if ('furigana' in c || reading === '') return c;
    kept = true;
    return { ...c, furigana: reading };
  });
  return kept ? { ...incoming, emergencyContacts: next } : incoming;
}

/** Whether a household came without its review list: from an app from before reviews were recorded. */
export function lacksReviews(incoming: Json): boolean {
  return isObj(incoming) && !('reviews' in incoming);
}

/** `incoming` with `held`'s review list when it came without one, or `incoming` itself when there is none to keep. */
export function withHeldReviews(held: Json, incoming: Json): Json {
  if (!isObj(held) || !isObj(incoming) || !lacksReviews(incoming)) return incoming;
  const reviews = held['reviews'];
  return Array.isArray(reviews) ? { ...incoming, reviews } : incoming;
}

/** Whether a change of `kind` needs the held record to keep what its sender did not know. */
export function needsHeld(kind: string, payload: Json): boolean {
  return kind === 'household' && (lacksReadings(payload) || lacksReviews(payload));
}

/** `incoming` with what its sender did not know kept from `held` (needsHeld said it may need it). */
export function keptFromHeld(kind: string, held: Json, incoming: Json): Json {
  return kind === 'household' ? withHeldReviews(held, withHeldReadings(held, incoming)) : incoming;
}

/**
 * A stored record as every app reads it, for a merge: a household with the record schema's defaults
 * for what it lacks (readHousehold). Merged raw, a key an older app never wrote (`reviews`,
 * `withdrawal`) read as an edit of it against a phone sending the default it read ([] or null): a
 * conflict on a field nobody touched, and 「もう一方の値に戻す」 on it erased a colleague's 見直し.
 */
export function asRead(kind: string, record: Json): Json {
  return kind === 'household' && isObj(record) ? (readHousehold(record) as unknown as Json) : record;
}
