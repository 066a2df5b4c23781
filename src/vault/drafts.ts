/**
 * Form drafts, sealed like records, so locking (or the OS killing the app) never loses what was being typed.
 * Works offline; when storage is full the save rejects with 'quota-exceeded' and the previous draft stays.
 */
import { bindingOf, seal, unseal } from './crypto';
import { isoAt, type SessionContext } from './journal';
import type { EntityKind } from './types';
import { RECORD_ID_PATTERN } from '../protocol/constants';
import type { VaultDatabase } from './db';

/** Draft keys are stored in clear: a kind, then opaque ids or 'new', joined by ':'. */
const DRAFT_KEY = /^[a-z][a-z-]*(?::[A-Za-z0-9_-]{1,128})*$/;

/** The key of the draft of one record ('household:new' for one not yet saved); clearDemo relies on it. */
export function draftKeyFor(kind: EntityKind, id: string | 'new'): string {
  return `${kind}:${id}`;
}

/**
 * A form's draft key for one person unlocking the phone (`<key>:<user id>`): on a shared phone a
 * colleague's unsaved input is neither shown to another user nor saved under their name. An id that
 * cannot stand in a key in clear leaves the key shared, as before.
 */
export function personalDraftKey(key: string, userId: string | null | undefined): string {
  return userId && RECORD_ID_PATTERN.test(userId) ? `${key}:${userId}` : key;
}

function assertDraftKey(key: string): void {
  if (key.length > 300 || !DRAFT_KEY.test(key)) {
    throw new TypeError(`vault: draft keys are stored in clear and must match ${String(DRAFT_KEY)}`);
  }
}

const bindingOfDraft = (key: string) => bindingOf('drafts', key);

export async function saveDraft(ctx: SessionContext, key: string, value: unknown): Promise<void> {
  assertDraftKey(key);
  const sealed = await seal(ctx.key, bindingOfDraft(key), value);
  await ctx.db.drafts.put({ key, updatedAt: isoAt(ctx.now), ...sealed });
}

export async function loadDraft<T>(ctx: SessionContext, key: string): Promise<T | undefined> {
  const row = await ctx.db.drafts.get(key);
  return row === undefined ? undefined : unseal<T>(ctx.key, bindingOfDraft(key), row);
}

export async function deleteDraft(ctx: SessionContext, key: string): Promise<void> {
  await ctx.db.drafts.delete(key);
}

export async function listDraftKeys(ctx: SessionContext): Promise<string[]> {
  return ctx.db.drafts.toCollection().primaryKeys();
}

/**
 * Deletes every draft of each record: the record's own (`<kind>:<id>`) and each person's
 * (`<kind>:<id>:<user id>`, the household form's). For a record removed from the device: a draft
 * holds its personal data too. Runs in the caller's transaction when it holds `drafts`.
 */
export async function deleteDraftsOf(
  db: Pick<VaultDatabase, 'drafts'>,
  records: readonly (readonly [string, string])[],
  /** only this person's drafts (and the record's own): the others' are theirs to keep */
  onlyOf?: string,
): Promise<void> {
  for (const [kind, id] of records) {
    const key = `${kind}:${id}`;
    await db.drafts.delete(key);
    if (onlyOf === undefined) await db.drafts.where(':id').startsWith(`${key}:`).delete();
    else await db.drafts.delete(personalDraftKey(key, onlyOf));
  }
}
