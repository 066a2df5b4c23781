/**
 * The network between the simulated devices and the hub server in the fault test: an HTTP proxy
 * that can cut the connection, drop a response after the server has answered (and so committed),
 * and replay or reorder requests it has seen.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export class FaultProxy {
  /** while true every connection is reset before it reaches the server */
  cut = false;
  /** chance that a response from the server is thrown away and the connection reset */
  dropResponses = 0;
  /** pushes forwarded to the server and not answered yet: a kill now lands mid-push */
  pushesInFlight = 0;
  /** push answers the server gave (so committed) and the proxy threw away */
  pushAnswersDropped = 0;
  private readonly seen: Seen[] = [];
  private server: Server | undefined;

  constructor(private readonly upstreamPort: () => number) {}

  async listen(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => undefined);
      req.on('end', () => {
        if (this.cut) {
          req.socket.destroy();
          return;
        }
        const seen: Seen = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
        const isPush = seen.method === 'POST' && seen.path.startsWith('/api/sync/push');
        if (isPush) {
          this.seen.push(seen);
          if (this.seen.length > 200) this.seen.shift();
          this.pushesInFlight += 1;
        }
        const done = () => {
          if (isPush) this.pushesInFlight -= 1;
        };
        this.forward(seen).then(
          (answer) => {
            done();
            if (this.cut || Math.random() < this.dropResponses) {
              if (isPush && answer.status === 200) this.pushAnswersDropped += 1;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
          },
          () => {
            done();
            req.socket.destroy();
          },
        );
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return (this.server!.address() as AddressInfo).port;
  }

  /**
   * Sends `count` pushes seen earlier to the server again: one after another, oldest first, or
   * (`reorder`) newest first, the devices' at once and each device's one after another (the hub
   * takes one push of a device at a time; more would be turned away before reaching the store).
   * Their answers are thrown away.
   */
  async replay(count: number, reorder: boolean): Promise<number> {
    const picked = Array.from({ length: Math.min(count, this.seen.length) }, () => this.seen[Math.floor(Math.random() * this.seen.length)]!);
    const ordered = [...picked].sort((x, y) => this.seen.indexOf(x) - this.seen.indexOf(y));
    if (reorder) {
      const byDevice = new Map<string, Seen[]>();
      for (const s of ordered.reverse()) {
        const device = String(s.headers['x-kyoten-device'] ?? '');
        byDevice.set(device, [...(byDevice.get(device) ?? []), s]);
      }
      await Promise.allSettled(
        [...byDevice.values()].map(async (pushes) => {
          for (const s of pushes) await this.forward(s).catch(() => undefined);
        }),
      );
    } else for (const s of ordered) await this.forward(s).catch(() => undefined);
    return picked.length;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private forward(seen: Seen): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...seen.headers, host: `127.0.0.1:${this.upstreamPort()}` };
      const out = request(
        { host: '127.0.0.1', port: this.upstreamPort(), method: seen.method, path: seen.path, headers, timeout: 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('timeout', () => out.destroy(new Error('upstream timeout')));
      out.on('error', reject);
      out.end(seen.body);
    });
  }
}
