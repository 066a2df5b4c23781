/**
 * A simulated device for the fault test: it writes numbered evidence entries (sealed case entries,
 * hashed by the real chain code) into its own change log and syncs them the way the app does:
 * push in seq order, drop from the queue only what the server acknowledged, pull by cursor. It
 * talks the wire protocol (src/protocol/sync.ts) through whatever network it is given.
 */
import {
  API,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  EnrolResponse,
  PullResponse,
  PushResponse,
  SESSION_COOKIE,
  type WireChange,
} from '../../../src/protocol/sync';
import { appendEntries, openBody } from '../../factories/emergency-case';

export interface Credentials {
  readonly hub: string;
  readonly loginName: string;
  readonly password: string;
  readonly totp: () => string;
}

export class SimDevice {
  /** change log entries not yet acknowledged, in seq order */
  readonly queue: WireChange[] = [];
  /** entry id → the exact JSON text this device wrote, for every entry the server acknowledged */
  readonly acknowledged = new Map<string, string>();
  /** entry id → every text pull brought for it (more than one would be a double) */
  readonly received = new Map<string, string[]>();
  /** refusals other than 'gap': there should be none */
  readonly refusals: string[] = [];
  private written = 0;
  private seq = 0;
  private cursor = '0';
  private cookie = '';
  private secret = '';

  constructor(
    readonly deviceId: string,
    private readonly baseUrl: () => string,
  ) {}

  async join(credentials: Credentials): Promise<void> {
    const signIn = await fetch(this.url(API.session), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hub: credentials.hub, loginName: credentials.loginName, password: credentials.password, totp: credentials.totp() }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in ${signIn.status}: ${await signIn.text()}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!cookie.startsWith(`${SESSION_COOKIE}=`)) throw new Error(`no session cookie: ${cookie}`);
    this.cookie = cookie;
    const enrol = await fetch(this.url(API.devices), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      // [E6] the staff id its entries carry, bound to the account that signed in
      body: JSON.stringify({ deviceId: this.deviceId, name: `simulated ${this.deviceId}`, vaultUserId: this.staffId }),
    });
    if (enrol.status !== 200) throw new Error(`enrol ${enrol.status}: ${await enrol.text()}`);
    this.secret = EnrolResponse.parse(await enrol.json()).deviceSecret;
  }

  /** Writes `count` new evidence entries into the change log (offline: no network needed). */
  async write(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.written += 1;
      const caseId = `case-${this.deviceId}-${this.written}`;
      const [entry] = await appendEntries([], [openBody({ detail: `${this.deviceId} #${this.written}` })], caseId, {
        by: { userId: this.staffId, name: `夜勤 ${this.deviceId}` },
        deviceId: this.deviceId,
      });
      this.seq += 1;
      this.queue.push({
        seq: this.seq,
        mutationId: globalThis.crypto.randomUUID(),
        kind: 'case-entry',
        entityId: entry!.id,
        op: 'append',
        at: entry!.recordedAt,
        payload: entry as unknown as Record<string, unknown>,
        baseVersion: null,
      });
    }
  }

  get staffId(): string {
    return `staff-${this.deviceId}`;
  }

  get writtenCount(): number {
    return this.written;
  }

  /** One sync: push the queue (in batches), then pull to the head. Throws on any network or server failure. */
  async sync(batch = 25): Promise<void> {
    while (this.queue.length > 0) {
      const changes = this.queue.slice(0, batch);
      const res = await fetch(this.url(API.push), {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify({ changes }),
      });
      if (res.status !== 200) throw new Error(`push ${res.status}: ${await res.text()}`);
      const { results } = PushResponse.parse(await res.json());
      let gap = false;
      for (const r of results) {
        const change = changes.find((c) => c.seq === r.seq)!;
        if (r.status === 'refused') {
          if (r.reason === 'gap') gap = true;
          else this.refusals.push(`${r.seq} ${r.reason}: ${r.detail}`);
          continue;
        }
        this.acknowledged.set(change.entityId, JSON.stringify(change.payload));
      }
      // Acknowledged and refused (other than a gap) leave the queue; a refused one is kept in `refusals`.
      const done = new Set(results.filter((r) => !(r.status === 'refused' && r.reason === 'gap')).map((r) => r.seq));
      const before = this.queue.length;
      this.queue.splice(0, this.queue.length, ...this.queue.filter((c) => !done.has(c.seq)));
      if (gap || this.queue.length === before) break;
    }
    for (;;) {
      const res = await fetch(this.url(`${API.pull}?cursor=${encodeURIComponent(this.cursor)}&limit=200`), { headers: this.headers() });
      if (res.status !== 200) throw new Error(`pull ${res.status}: ${await res.text()}`);
      const page = PullResponse.parse(await res.json());
      for (const r of page.records) {
        if (r.kind !== 'case-entry') continue;
        const texts = this.received.get(r.entityId) ?? [];
        texts.push(r.payloadJson);
        this.received.set(r.entityId, texts);
      }
      this.cursor = page.cursor;
      if (!page.hasMore) return;
    }
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', cookie: this.cookie, [DEVICE_ID_HEADER]: this.deviceId, [DEVICE_SECRET_HEADER]: this.secret };
  }

  private url(path: string): string {
    return `${this.baseUrl()}${path}`;
  }
}
