/**
 * The wire protocol between the app and the hub server (docs/sync-protocol.md). Both sides import
 * these schemas: the server validates every request body with them (a body that fails is a 400
 * with the reason, and nothing is written), the app validates every response.
 *
 * Phones update weeks apart and the hub on a Sunday [V2]: what this app sends is strict (strictObject:
 * a newer hub may rely on every key meaning what it says), what it reads is not. An answer's fields
 * this app does not know are ignored (z.object strips them), a pulled record of a kind it does not
 * know is left out of the page and counted, and a refusal for a reason it does not know is kept as
 * one it does. A hub that adds anything is then still read by every phone not yet updated. Where
 * one shape is both sent and read (a receipt), it has a strict form for requests and a lenient one
 * for answers. The role of the session's user and of a pull's scope is read as strictly as it is
 * sent (SessionUser says why).
 *
 * Imports nothing but zod, so the server may use it without pulling in the vault or React.
 */
import { z } from 'zod';
import { DEVICE_NAME_MAX, FUNCTION_BONUS_KINDS } from './constants';
import { EvidenceReceipt, EvidenceReceiptAnswer } from './countersign-schema';

// ─── Paths ──────────────────────────────────────────────────────────────────

export const API = {
  /** POST SignInRequest → SignInResponse (sets the session cookie); DELETE signs out; GET → SessionInfo */
  session: '/api/session',
  /** POST EnrolRequest → EnrolResponse: registers this device to the signed-in user */
  devices: '/api/devices',
  /** POST PushRequest → PushResponse */
  push: '/api/sync/push',
  /** GET ?cursor=<epoch>:<version>&limit=M → PullResponse (cursor.ts; a bare version is still read) */
  pull: '/api/sync/pull',
  /**
   * POST RetirePushRequest → PushResponse. For a device whose user or device was disabled: sends
   * its unsent evidence (case entries and the access log) under the device secret alone, before
   * the device wipes itself. Nothing but append-only kinds is taken.
   */
  retirePush: '/api/sync/retire',
  /** GET → ConflictList; POST /api/conflicts/:id/resolve ResolveConflictRequest → 204 */
  conflicts: '/api/conflicts',
  /**
   * POST RetireDoneRequest → 204, device secret only: a retired device whose every change was
   * answered by the retire push (taken, or kept in the hub's quarantine) says it wipes now.
   */
  retireDone: '/api/sync/retire/done',
  /**
   * POST DeviceSessionRequest → SessionInfo (sets the session cookie), with the device headers: a
   * user who signed in on this device before opens a session with their device token (A8).
   */
  deviceSession: '/api/session/device',
  /** GET → StaffList: the hub's active users (id, name, role, office), to pick a household's 担当 */
  staff: '/api/staff',
  /**
   * GET → DeviceMembers, the device headers alone (no session: the person unlocked may be the one
   * stopped): who of this device's users the hub has stopped (their account disabled), so that
   * the phone takes them off (A10). A hub from before it answers 404, and the phone carries on.
   */
  members: '/api/sync/members',
} as const;

/** Name of the HttpOnly, SameSite=Strict session cookie over plain http (localhost, the tests). */
export const SESSION_COOKIE = 'kyoten_session';
/**
 * Its name over https (A5): a browser takes a `__Host-` cookie only from the hub's own host
 * (Secure, Path=/, no Domain), so no other host of the same domain can plant one beside it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
/** Headers every sync request carries: the device and its secret (from EnrolResponse). */
export const DEVICE_ID_HEADER = 'x-kyoten-device';
export const DEVICE_SECRET_HEADER = 'x-kyoten-device-secret';

/** A push larger than this is refused whole: the device sends its change log in batches. */
export const MAX_PUSH_CHANGES = 1000;
/** A request body larger than this is refused with 413 before it is parsed. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * The device sends a push batch of at most this many bytes of JSON (half the hub's MAX_BODY_BYTES,
 * which counts a body once unpacked): 1,000 households grown by years of reviews can be more than
 * the hub takes, and a batch the hub refuses whole would be sent again at every run, for ever.
 */
export const PUSH_BATCH_BYTES = MAX_BODY_BYTES / 2;
export const MAX_PULL_LIMIT = 10_000;

export { HUB_ONLY_OFFICE } from './constants';

// ─── Shared pieces ──────────────────────────────────────────────────────────

/**
 * Hub, office, user and device ids, and a record's entityId as it travels. A record's id has its
 * own rule ([R1], records.ts), checked per record: one bad record is refused (push) or set aside
 * (pull) alone, and never fails a whole request or page.
 */
const id = z.string().min(1).max(200);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'UUID ではありません');
const isoInstant = z.iso.datetime({ offset: true });

export const ROLES = ['coordinator', 'case-worker', 'facility-liaison', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  coordinator: '拠点コーディネーター',
  'case-worker': '相談支援専門員',
  'facility-liaison': '連携担当者（短期入所）',
  admin: '管理者',
};

export const CHANGE_KINDS = ['household', 'facility', 'office', 'case-entry', 'month-close', 'access', 'trial-stay', ...FUNCTION_BONUS_KINDS] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export const CHANGE_OPS = ['create', 'update', 'withdraw', 'append'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];
/**
 * The kinds of record a role may write at all [S10]. The hub decides each change further, by
 * office and facility (decideChanges in src/server/services/sync.ts, whose tests hold it to this
 * table): a kind not listed is refused `scope` whatever the record. A device uses it to leave out
 * of what it sends again after a restore the records its user could never write (S15).
 */
export const KINDS_A_ROLE_WRITES: Readonly<Record<Role, ReadonlySet<ChangeKind>>> = {
  admin: new Set(CHANGE_KINDS),
  coordinator: new Set(['household', 'facility', 'case-entry', 'month-close', 'access', 'trial-stay']),
  'case-worker': new Set(['household', 'case-entry', 'month-close', 'access', 'trial-stay']),
  'facility-liaison': new Set(['facility', 'access', 'trial-stay']),
};

/** Kinds merged field by field against the version the edit was based on. */
export const MERGED_KINDS = ['household', 'facility', 'office', 'trial-stay', ...FUNCTION_BONUS_KINDS] as const;
export type MergedKind = (typeof MERGED_KINDS)[number];

// ─── Errors ─────────────────────────────────────────────────────────────────

export const ERROR_CODES = [
  /** 400: the body does not match the schema, or is not JSON */
  'bad-request',
  /** 413 */
  'too-large',
  /** 401: no session, or it expired (idle or absolute): sign in again; queued changes stay */
  'signed-out',
  /** 401 on sign-in: wrong hub, login, password or one-time code (never says which) */
  'bad-credentials',
  /** 429 on sign-in: too many failures; retryAfterSeconds says when to try again */
  'throttled',
  /** 403: the device is registered to another user, or the device headers are wrong */
  'forbidden',
  /** 403: not enrolled yet: POST /api/devices first */
  'unknown-device',
  /**
   * 410: this device or its user was disabled. The device sends its unsent evidence with
   * RetirePushRequest, then wipes its local data and unregisters its service worker.
   */
  'retired',
  /** 409: the device id is enrolled in another hub */
  'exists',
  /** 404 */
  'not-found',
  /** 503: the store is not ready; retry later (Retry-After) */
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorResponse = z.strictObject({
  error: z.enum(ERROR_CODES),
  /** Japanese, shown to the user as it is */
  message: z.string(),
  /** for the developer: which field, what was expected */
  detail: z.string().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  /**
   * The request's id (8 hex characters), also in the answer's X-Request-Id header: the hub's log
   * line for this answer carries it, and the app shows it as 問い合わせ番号 for the admin to find it.
   * Absent from hubs before it; an app before it ignores it (ErrorAnswer reads what it knows).
   */
  requestId: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * [V2] An error answer as the app reads it: the hub's own (its JSON, with an error code and words),
 * whatever it adds; an error code this app does not know is read by its HTTP status. Only a body
 * that is not this shape (a Wi-Fi's login page, a proxy's) is taken for the line's trouble.
 */
export const ErrorAnswer = z.object({
  error: z.string().max(100),
  message: z.string(),
  detail: z.string().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  requestId: z.string().optional(),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

// ─── Session and enrolment ──────────────────────────────────────────────────

export const SignInRequest = z.strictObject({
  /** the hub (tenant) id, as the admin gave it */
  hub: id,
  loginName: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
  /** the 6-digit TOTP code */
  totp: z.string().regex(/^\d{6}$/, '6桁の数字を入力してください'),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/**
 * The signed-in person, in the session answer (sign-in and device session) [V2]: fields this app
 * does not know are ignored. Their role is not: it decides what this phone holds and writes for
 * them, and each pull page's scope is checked against it (scope.ts), so a role this app does not
 * know gets no reach at all: the answer is not read (the words ask to update the app) and no one
 * syncs as that person on this phone until it is updated. Read as any known role, its pages would
 * meet a scope that is not that role's at every pull. Everyone else's session is read as before.
 */
export const SessionUser = z.object({
  id,
  hub: id,
  displayName: z.string(),
  role: z.enum(ROLES, { error: 'a role this app does not know: update the app to sync as this person' }),
  officeId: id.nullable(),
  facilityId: id.nullable(),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** The session answer (POST and GET API.session, POST API.deviceSession); fields this app does not know are ignored [V2]. */
export const SessionInfo = z.object({
  user: SessionUser,
  /** when the session ends whatever happens (absolute expiry) */
  expiresAt: isoInstant,
  /** the session ends after this long without a request (idle expiry) */
  idleTimeoutSeconds: z.number().int().positive(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const SignInResponse = SessionInfo;

export const EnrolRequest = z.strictObject({
  /** the vault's device id (meta.deviceId): the device keeps its identity and its change log */
  deviceId: id,
  /** shown to the admin, e.g. 「オンコール携帯 1」 */
  name: z.string().max(DEVICE_NAME_MAX),
  /** A9: the signing-in person's user id in the device's vault (what their case entries carry in recordedBy) */
  vaultUserId: id.optional(),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** Fields this app does not know are ignored [V2]. */
export const EnrolResponse = z.object({
  deviceId: id,
  /** a fresh random secret, sent in DEVICE_SECRET_HEADER from now on; enrolling again replaces it */
  deviceSecret: z.string().min(32).max(200),
  /** the highest seq of this device the server has taken (0 for a new device) */
  lastSeq: z.number().int().nonnegative(),
  /** the signed-in user's device token (A8): opens a session for them on this device from now on */
  userToken: z.string().min(32).max(200),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** A8: the body of POST /api/session/device (with the device headers). */
export const DeviceSessionRequest = z.strictObject({ token: z.string().min(32).max(200) });
export type DeviceSessionRequest = z.infer<typeof DeviceSessionRequest>;

// ─── Push ───────────────────────────────────────────────────────────────────

/** One entry of the device's change log (src/vault/types.ts OutboxEntry) on the wire. */
export const WireChange = z.strictObject({
  seq: z.number().int().positive(),
  mutationId: uuid,
  kind: z.enum(CHANGE_KINDS),
  entityId: id,
  op: z.enum(CHANGE_OPS),
  /** the device's clock: for display only, never for ordering */
  at: isoInstant,
  payload: z.record(z.string(), z.unknown()),
  /**
   * For MERGED_KINDS: the server version of the record this edit was made on (from the last pull
   * that brought it), or null when the device has never pulled it (created here, or before joining).
   * Always null for append-only kinds.
   */
  baseVersion: z.number().int().nonnegative().nullable(),
  /** A9: the hub user id of who made the change on the device; absent: the session's user */
  author: id.optional(),
});
export type WireChange = z.infer<typeof WireChange>;

export const PushRequest = z.strictObject({
  changes: z.array(WireChange).min(1).max(MAX_PUSH_CHANGES),
  /**
   * [K4] Receipts this device holds for case entries of this push: entries the hub signed before
   * its database was restored, sent again [S15]. The hub keeps such a receipt for the entry, in
   * place of signing it again, when it verifies with its key and names the entry as it holds it.
   */
  receipts: z.array(EvidenceReceipt).max(MAX_PUSH_CHANGES).optional(),
});
export type PushRequest = z.infer<typeof PushRequest>;
/** RetirePushRequest has the same shape; only 'case-entry' and 'access' changes are taken. */
export const RetirePushRequest = PushRequest;
/** The body of API.retireDone: how many of the device's changes the hub holds in quarantine, as the device counted them. */
export const RetireDoneRequest = z.strictObject({ refused: z.number().int().nonnegative() });
export type RetireDoneRequest = z.infer<typeof RetireDoneRequest>;

/** Why the hub refused a change; the rules cited are in docs/hub-server.md. */
export const REFUSAL_REASONS = [
  /** an earlier seq of this device has not arrived: send it first (retryable) [S3] */
  'gap',
  /** this seq was already used by another mutation id [S4] */
  'seq-conflict',
  /** this mutation id was already accepted with different content [S5] */
  'mutation-conflict',
  /** evidence with this id is already held with a different hash [S7] */
  'evidence-conflict',
  /** the evidence entry's hash does not match its content [S8] */
  'hash-mismatch',
  /** an append-only kind sent with another op, or 'append' for a mutable kind [S6] */
  'append-only',
  /** a field is missing, of the wrong type, unknown, or not storable */
  'invalid',
  /** outside what the pushing user may write: another office's household, a facility not theirs [S10] */
  'scope',
  /** a case entry that does not link into its case: no such case, a missing or refused earlier entry, a second open entry [E1][E2][E4] */
  'chain',
  /** a case entry recorded by another user or on another device than the ones pushing it [E6] */
  'writer',
  /** a case entry dated after the hub received it, or before the entry it follows [E7] */
  'clock',
  /** A9: its author has not signed in on this device (or was signed out of it): kept, sent later (retryable) */
  'author',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Japanese words for a refusal, shown beside the change that stays queued. */
// REFUSAL_LABELS lives in constants.ts (no zod: the first screen's bundle reads it).
export { REFUSAL_LABELS } from './constants';

const KNOWN_REFUSALS: ReadonlySet<string> = new Set(REFUSAL_REASONS);
const isRefusalReason = (reason: string): reason is RefusalReason => KNOWN_REFUSALS.has(reason);

/**
 * [V3] What a refusal for a reason this app does not know (a newer hub's) is kept as: the change
 * stays queued and listed (never dropped), under the reason whose words fit any refusal
 * ('内容が不正です'; the advice: look at it again, else ask the admin), with the hub's own reason
 * leading the detail the admin reads. Refused for good unless the hub says it may go again
 * (`retryable`: the hub did not take its seq, as for 'gap').
 */
export const UNKNOWN_REFUSAL_AS = 'invalid' satisfies RefusalReason;

export const ChangeResult = z.discriminatedUnion('status', [
  z.object({ seq: z.number().int(), mutationId: z.string(), status: z.literal('accepted'), version: z.number().int() }),
  z.object({ seq: z.number().int(), mutationId: z.string(), status: z.literal('duplicate'), version: z.number().int() }),
  z
    .object({
      seq: z.number().int(),
      mutationId: z.string(),
      status: z.literal('refused'),
      /** one of REFUSAL_REASONS; any other is read as UNKNOWN_REFUSAL_AS [V3] */
      reason: z.string(),
      detail: z.string(),
      /** true only for 'gap' and 'author' */
      retryable: z.boolean(),
    })
    .transform(({ reason, ...r }) =>
      // retryable as the hub says: a retryable refusal is one whose seq the hub did not take, and the
      // change must go again under it (marked refused, the queue moved on and met 'gap' for good).
      isRefusalReason(reason) ? { ...r, reason } : { ...r, reason: UNKNOWN_REFUSAL_AS as RefusalReason, detail: `refused "${reason}" (a reason this app does not know): ${r.detail}` },
    ),
]);
export type ChangeResult = z.infer<typeof ChangeResult>;

export const PushResponse = z.object({
  results: z.array(ChangeResult),
  /** the server's clock when it answered (for display of clock skew, never for ordering) */
  serverTime: isoInstant,
  /** the hub's receipts for the evidence of this push taken or already held; only when asked (RECEIPTS_HEADER) [K5] */
  receipts: z.array(EvidenceReceiptAnswer).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

// ─── Pull ───────────────────────────────────────────────────────────────────

/** What the signed-in user may hold. When it shrinks, the device drops records outside it. */
export const WireScope = z.object({
  /** a role this app does not know is not read [V2]: SessionUser says why */
  role: z.enum(ROLES),
  /** offices whose households and cases the user may hold, or 'all' */
  officeIds: z.union([z.literal('all'), z.array(id)]),
  /** a facility liaison: the one facility record they may hold; null otherwise */
  facilityId: id.nullable(),
});
export type WireScope = z.infer<typeof WireScope>;

/** The kinds of record a pull hands out (never 'access': the hub hands that log to no one). */
export const PULLED_KINDS = ['household', 'facility', 'office', 'case-entry', 'month-close', 'trial-stay', ...FUNCTION_BONUS_KINDS] as const;
const KNOWN_PULLED: ReadonlySet<string> = new Set(PULLED_KINDS);
/** Whether this app knows a kind of record the hub hands out (a newer hub's may not be) [V2]. */
export const isPulledKind = (kind: string): boolean => KNOWN_PULLED.has(kind);

export const WireRecord = z.object({
  kind: z.enum(PULLED_KINDS),
  entityId: id,
  version: z.number().int().positive(),
  /** the office it belongs to, HUB_ONLY_OFFICE, or null for hub-wide records */
  officeId: id.nullable(),
  withdrawn: z.boolean(),
  /** the payload as JSON text: evidence comes back byte for byte */
  payloadJson: z.string(),
});
export type WireRecord = z.infer<typeof WireRecord>;

/**
 * In a pull answer when the cursor named another epoch: the hub's database was restored from a
 * backup (or replaced). The page starts from the beginning; the device sends again what it holds
 * above `floor` and numbers its queue on from `lastSeq` (docs/sync-protocol.md, [S15]).
 */
export const EpochChange = z.object({
  /** versions up to this one are the same as the device saw them; those above were lost */
  floor: z.number().int().nonnegative(),
  /** the highest seq the hub holds of this device */
  lastSeq: z.number().int().nonnegative(),
});
export type EpochChange = z.infer<typeof EpochChange>;

/**
 * The kind of an answer's item (a pulled record, a conflict) that is not one of `known`, or null (a
 * known kind, or no kind at all: the item's schema says what is wrong) [V2].
 */
const unknownKindOf = (r: unknown, known: ReadonlySet<string> = KNOWN_PULLED): string | null => {
  const kind = typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && !known.has(kind) ? kind : null;
};

/**
 * [V2] A page's records of kinds this app does not know are taken out before the page is read:
 * named in `unknownKinds` (each kind once), never written, never a reason to refuse the page. Any
 * other record that does not match WireRecord still fails the answer (the hub is broken, not newer).
 */
function withoutUnknownKinds(answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null || !Array.isArray((answer as { records?: unknown }).records)) return answer;
  const records: unknown[] = [];
  const skipped = new Set<string>();
  for (const r of (answer as { records: readonly unknown[] }).records) {
    const kind = unknownKindOf(r);
    if (kind === null) records.push(r);
    else skipped.add(kind);
  }
  return { ...answer, records, unknownKinds: [...skipped].slice(0, MAX_UNKNOWN_KINDS) };
}

/** How many unknown kinds a page names: the app keeps them in its hub link until it knows them. */
const MAX_UNKNOWN_KINDS = 20;

const PullAnswer = z.object({
  records: z.array(WireRecord),
  /**
   * Set by the app's parse, never by the hub (one it sends is replaced): the kinds of the page's
   * records this app does not know, left out of `records` [V2]; once an update knows one, the
   * engine pulls from the start again. Optional only so that the hub's answer, which never carries
   * it, is still a PullResponse to its type checks.
   */
  unknownKinds: z.array(z.string().max(100)).optional(),
  /** pass back as the next cursor: `<epoch>:<version>[:<mark>]` (cursor.ts) */
  cursor: z.string().max(100),
  /** the cursor asked with came from another database: see EpochChange */
  epochChange: EpochChange.optional(),
  hasMore: z.boolean(),
  scope: WireScope,
  /** open same-field conflicts on records in scope (see ConflictList) */
  openConflicts: z.number().int().nonnegative(),
  /** the hub's receipts for the case entries of this page; only when asked (RECEIPTS_HEADER) [K5] */
  receipts: z.array(EvidenceReceiptAnswer).optional(),
});
export const PullResponse = z.preprocess(withoutUnknownKinds, PullAnswer);
export type PullResponse = z.infer<typeof PullResponse>;

// ─── Conflicts ──────────────────────────────────────────────────────────────

export const WireConflict = z.object({
  id: z.string(),
  kind: z.enum(MERGED_KINDS),
  entityId: id,
  /** the top-level field of the record both edits changed */
  field: z.string(),
  baseVersion: z.number().int().nullable(),
  keptVersion: z.number().int(),
  keptValue: z.unknown(),
  lostVersion: z.number().int(),
  lostValue: z.unknown(),
  /** display names of who made each edit */
  keptBy: z.string(),
  lostBy: z.string(),
  createdAt: isoInstant,
});
export type WireConflict = z.infer<typeof WireConflict>;

const KNOWN_MERGED: ReadonlySet<string> = new Set(MERGED_KINDS);

/**
 * [V2] Conflicts on records of a kind this app does not know (a newer hub's) are left out of the
 * list before it is read and counted in `leftOut`: this app can neither show their record nor write
 * the other value back. Its pulls leave such records out and name their kind, and the status asks
 * to update the app. Any other conflict that does not match WireConflict still fails the answer.
 */
function withoutUnknownConflicts(answer: unknown): unknown {
  if (typeof answer !== 'object' || answer === null || !Array.isArray((answer as { conflicts?: unknown }).conflicts)) return answer;
  const all = (answer as { conflicts: readonly unknown[] }).conflicts;
  const conflicts = all.filter((c) => unknownKindOf(c, KNOWN_MERGED) === null);
  return { ...answer, conflicts, leftOut: all.length - conflicts.length };
}

/** GET API.conflicts; fields this app does not know are ignored [V2]. */
export const ConflictList = z.preprocess(
  withoutUnknownConflicts,
  z.object({
    conflicts: z.array(WireConflict),
    /**
     * Set by the app's parse, never by the hub (one it sends is replaced): how many conflicts were
     * of a kind this app does not know, left out of `conflicts`. Optional only so that the hub's
     * answer, which never carries it, is still a ConflictList to its type checks.
     */
    leftOut: z.number().int().nonnegative().optional(),
  }),
);
export type ConflictList = z.infer<typeof ConflictList>;

/**
 * Settles a conflict. 'kept': the value the server kept stands. 'lost': the device has pushed an
 * update that writes the lost value back (with the record's current version as its base), then
 * marks the conflict settled.
 */
export const ResolveConflictRequest = z.strictObject({ choice: z.enum(['kept', 'lost']) });
export type ResolveConflictRequest = z.infer<typeof ResolveConflictRequest>;

const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);
const isRole = (role: string): role is Role => KNOWN_ROLES.has(role);

/**
 * One of the hub's users as a device may list them: no login name, no secrets. Fields this app does
 * not know are ignored [V2]. The list is only shown and picked from (a household's 担当, whose name
 * it shows) and tells who is still active, so nobody in it is left out: a role this app does not
 * know is read as null, the least it can be, never taken for a case worker (never offered as 担当).
 */
export const StaffMember = z.object({
  userId: z.string(),
  displayName: z.string(),
  /** one of ROLES; null: a role this app does not know [V2] */
  role: z
    .string()
    .max(100)
    .transform((role): Role | null => (isRole(role) ? role : null)),
  officeId: z.string().nullable(),
});
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffList = z.object({ staff: z.array(StaffMember) });
export type StaffList = z.infer<typeof StaffList>;

/**
 * [A10] The hub user ids of the people who signed in on the asking device and whose account is
 * disabled now: the phone removes their key slots (their queued evidence still goes, A9).
 */
export const DeviceMembers = z.object({ stopped: z.array(z.string().max(200)).max(1000) });
export type DeviceMembers = z.infer<typeof DeviceMembers>;
