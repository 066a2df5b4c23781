/** HTTP written by hand on a socket: request lines and bodies no well-behaved client would send. */
import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** the server closed the connection after answering */
  readonly closed: boolean;
}

/** Sends `head` (and `body` bytes, if any) to the server at `base`; resolves with the answer once the server closes or has sent a whole answer. */
export function rawRequest(base: string, head: string, body: Buffer | string = '', options: { readonly keepOpen?: boolean } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) {
        if (closed) {
          settled = true;
          reject(new Error(`no answer before the connection closed: ${JSON.stringify(text)}`));
        }
        return;
      }
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers.get('content-length') ?? NaN);
      const rest = text.slice(split + 4);
      if (!closed && !(Number.isFinite(length) && Buffer.byteLength(rest) >= length)) return;
      settled = true;
      if (!options.keepOpen) socket.destroy();
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: rest, closed });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}

/** A request that sends its headers and part of its body, then holds: for bodies in flight. `closed` resolves once the connection is closed, by either side. */
export function slowBody(base: string, path: string, headers: Record<string, string>, declared: number): { answer: Promise<RawAnswer>; closed: Promise<void>; close(): void } {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}`, 'Content-Type: application/json', `Content-Length: ${declared}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  socket.write(`${head}\r\n\r\n{"changes":[`);
  const answer = new Promise<RawAnswer>((resolve) => {
    let text = '';
    socket.on('data', (c) => {
      text += c.toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const map = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers: map, body: text.slice(split + 4), closed: false });
    });
    socket.on('error', () => undefined);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { answer, closed, close: () => socket.destroy() };
}
