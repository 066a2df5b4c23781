/**
 * PostgreSQL as if on another machine: a TCP proxy that holds every chunk `ms` milliseconds each
 * way before passing it on, in order. The load bench puts it between the hub and PostgreSQL when
 * LOAD_PG_DELAY_MS is set (issue 16's "two machines": a push holds its hub's counter for a number
 * of round trips, and each one then costs the network's latency, not loopback's).
 *
 * A child process of its own (`startDelayProxy`), so that its CPU is neither the bench's nor the
 * hub's. Run alone: `npx tsx bench/pg-delay-proxy.ts <target host> <target port> <ms>` prints
 * `PORT=<n>` once it listens on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface DelayProxy {
  /** `url` with its host and port the proxy's */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startDelayProxy(url: string, ms: number): Promise<DelayProxy> {
  const target = new URL(url);
  const root = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bench/pg-delay-proxy.ts'), target.hostname, target.port || '5432', String(ms)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((found, failed) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^PORT=(\d+)$/.exec(line);
      if (m !== null) found(Number(m[1]));
    });
    child.once('exit', (code) => failed(new Error(`the delay proxy exited (${code}) before listening`)));
  });
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    async stop() {
      child.kill();
      await exited;
    },
  };
}

function serve(host: string, port: number, ms: number): void {
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    // Timers of one delay fire in the order they were set: the bytes keep their order.
    const pipe = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), ms));
      from.on('end', () => setTimeout(() => to.end(), ms));
      from.on('error', () => to.destroy());
      from.on('close', () => setTimeout(() => to.destroy(), ms));
    };
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`PORT=${(server.address() as net.AddressInfo).port}`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [host, port, ms] = process.argv.slice(2);
  if (host === undefined || !(Number(port) > 0) || !(Number(ms) >= 0)) {
    console.error('usage: pg-delay-proxy.ts <target host> <target port> <ms each way>');
    process.exit(2);
  }
  serve(host, Number(port), Number(ms));
}
