/**
 * How the load bench's simulated devices make their requests, on both sides: a fetch over
 * `node:http` that reads a compressed answer whole and decodes it in one native call, as a phone's
 * browser does in its network stack, off the page's script.
 *
 * Node's own fetch decodes brotli through web streams in JavaScript, chunk by chunk: measured on
 * the load bench's pulls (~630 households, ~0.25 MB of brotli) that cost the bench process ~13 ms of
 * CPU a sync against ~4 ms for one `brotliDecompressSync` of the same bytes. On this machine the
 * simulated devices share the two cores with the server under test, so every millisecond the
 * harness spends is taken from the server; on a hub the decoding is the phones'.
 */
import { Agent, request } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { API, SESSION_COOKIE } from '../src/protocol/sync';
import { HubClient } from '../src/sync/client';

/** Connections kept and reused, as a browser and Node's fetch do (the hub keeps idle ones 65 s). */
const agent = new Agent({ keepAlive: true });

/** What Chromium asks for: each server then compresses its answers as it would for the app. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

function decoded(encoding: string | undefined, body: Buffer): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return body;
    case 'br':
      return brotliDecompressSync(body);
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    default:
      throw new Error(`the answer is encoded as ${encoding}, which the bench's devices did not ask for`);
  }
}

function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new Error('deviceFetch sends a string or bytes only');
}

/**
 * A `fetch` for `http://` URLs asking with Chromium's `Accept-Encoding`. A network failure rejects
 * like fetch's ("fetch failed", the system error as its cause).
 */
export function deviceFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined), 'accept-encoding': BROWSER_ACCEPT_ENCODING };
  const body = requestBody(init.body);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<Response>((answered, failed) => {
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (cause) => failed(new Error('fetch failed', { cause })));
      res.on('end', () => {
        try {
          const status = res.statusCode ?? 0;
          const wire = Buffer.concat(chunks);
          const text = decoded(res.headers['content-encoding'], wire);
          const out = new Headers();
          // Content-Length stays as it came over the wire, as fetch shows it for a compressed answer.
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i]!.toLowerCase() !== 'content-encoding') out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          }
          // (zlib's and http's buffers are plain ArrayBuffers, not shared ones)
          answered(new Response(status === 204 || status === 304 ? null : (text as Uint8Array<ArrayBuffer>), { status, statusText: res.statusMessage, headers: out }));
        } catch (error) {
          failed(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', (cause) => failed(new Error('fetch failed', { cause })));
    if (init.signal) init.signal.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
    req.end(body);
  });
}

/**
 * The app's HubClient for one simulated device of the hub at `base`: its session cookie on every
 * request, each answer checked with the protocol's schemas, the bytes of each pull answer (on the
 * wire, brotli) handed to `pulled`.
 */
export function deviceHubClient(base: string, sessionToken: string, pulled: (bytes: number) => void): HubClient {
  return new HubClient(async (path, init) => {
    const headers = { ...(init.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${sessionToken}` };
    const res = await deviceFetch(`${base}${path}`, { ...init, headers }).catch((error: unknown) => {
      // fetch's own message is "fetch failed": say why.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${String(error)} (${cause?.code ?? ''} ${cause?.message ?? ''})`);
    });
    if (path.startsWith(API.pull)) pulled(Number(res.headers.get('content-length') ?? 0));
    return res;
  });
}

/** A `_changes` page of a PouchDB database, as a replication asks for it. */
export const changesPath = (database: string, limit: number, since: string | number) =>
  `${database}/_changes?style=all_docs&include_docs=true&limit=${limit}&since=${encodeURIComponent(String(since))}`;
