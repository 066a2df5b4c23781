/**
 * The hub server process: serves the built app, answers /healthz, and hands /api/ to the sync
 * API (http/api.ts). It is kept as a function so tests can start it on a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createStaticHandler } from './http/static-files';
import { answerBadTarget, answerClientError, checkedTarget, everyTenSeconds, failureLogLine, setSecurityHeaders } from './http/edge';
import { NO_STORE, SECURITY_HEADERS } from './http/security-headers';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly distDir: string;
  /**
   * Whether the server can take requests (its store is open and migrated). /healthz answers 503
   * until it says yes; without it /healthz is always ready.
   */
  readonly readiness?: () => Promise<Readiness>;
  /** Answers every request under /api/ (any method); without it /api/ is served like any path. */
  readonly api?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** a TLS proxy in front says X-Forwarded-Proto (TRUST_PROXY=1): HSTS is sent when it says https */
  readonly trustProxy?: boolean;
}

export interface Readiness {
  readonly ok: boolean;
  /**
   * 'ready', or why not: 'starting', 'store-unavailable' (the database not reached, or no answer
   * within 2 s), 'store-read-only' (it takes no writes: a standby after a failover), 'schema-too-new'
   * (a newer server migrated the database)
   */
  readonly status: string;
}

/**
 * Connections the kernel holds until the hub accepts them (Node's default is 511; Linux caps it
 * at net.core.somaxconn). Past it a burst of phones gets no connection at all, only SYN retries
 * and resets after half a minute, instead of an answer: 503 with Retry-After when busy (A12).
 */
export const LISTEN_BACKLOG = 4096;

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 65_000;

export function startServer(options: ServerOptions): Promise<Server> {
  const serveStatic = createStaticHandler(options.distDir);
  const server = createServer((req, res) => {
    setSecurityHeaders(req, res, options.trustProxy === true);
    const path = checkedTarget(req);
    if (path === null) {
      answerBadTarget(res);
      return;
    }
    if (options.api !== undefined && path.startsWith('/api/')) {
      options.api(req, res).catch((error: unknown) => {
        console.error(failureLogLine('API', error));
        if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, ...NO_STORE });
        res.end();
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, ...NO_STORE, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('許可されていないメソッドです (405)');
      return;
    }
    if (path === '/healthz') {
      const { readiness } = options;
      if (readiness === undefined) {
        res.writeHead(200, { ...SECURITY_HEADERS, ...NO_STORE, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
        return;
      }
      readiness()
        .catch((): Readiness => ({ ok: false, status: 'store-unavailable' }))
        .then((r) => {
          const retry = r.ok ? {} : { 'Retry-After': '1' };
          res.writeHead(r.ok ? 200 : 503, { ...SECURITY_HEADERS, ...NO_STORE, ...retry, 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ ok: r.ok, status: r.status }));
        });
      return;
    }
    serveStatic(req, res).catch((error: unknown) => {
      console.error(failureLogLine('static file', error));
      if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, ...NO_STORE });
      res.end();
    });
  });
  server.on('clientError', answerClientError);
  // An Expect other than 100-continue is answered by Node itself, without the headers every answer
  // carries (CSP, nosniff, no-store): answered here instead, with them.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(req, res, options.trustProxy === true);
    res.writeHead(417, { ...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Expect ヘッダーには対応していません (417)');
  });
  // An idle connection is kept past a phone's 60 s sync interval (Node closes it after 5 s), so a phone's
  // next sync reuses it instead of a new handshake; and a client that picks an idle connection
  // just as the server closes it sees a reset, which under load made pushes fail.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      server.on('error', logServerError);
      resolve(server);
    });
  });
}

/**
 * Once listening, the server's own errors are logged and the process goes on: an accept that
 * fails (EMFILE, ENFILE: out of file descriptors under a burst of phones) would otherwise be an
 * 'error' with no listener, which ends the process and every sync with it. Node accepts again once
 * descriptors are freed. One line every 10 s at most, since it comes with every connection tried.
 */
const logServerError = (error: Error) => {
  const code = (error as { code?: unknown }).code;
  const hint = code === 'EMFILE' || code === 'ENFILE' ? "\nThe process is out of file descriptors: raise the hub's limit (systemd LimitNOFILE=, ulimit -n)." : '';
  serverErrorLog(failureLogLine('HTTP server', error) + hint);
};
const serverErrorLog = everyTenSeconds((line, more) => console.error(`${line}${more > 0 ? `\n(and ${more} more since the last line)` : ''}`));
