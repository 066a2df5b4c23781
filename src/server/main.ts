/**
 * `npm start` / `npm run serve`: serves dist/ on PORT (default 8080) and opens the store:
 * PostgreSQL when DATABASE_URL is set, else the embedded PostgreSQL in KYOTEN_DATA_DIR (default ./data).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstAdminHint } from './admin-commands';
import { buildId } from './build-id';
import { CONFIGURATION_EXIT_CODE, exitCodeFor } from './exit-code';
import { osUserName } from './os-user';
import { describeStore } from './db/open-store';
import { startHub } from './services/hub';
import { nodeVersionProblem } from './node-version';

// An older Node fails later in a TypeError, not in words: said first, and not started again (exit 78).
const tooOld = nodeVersionProblem(process.versions.node, process.execPath);
if (tooOld !== null) {
  console.error(tooOld);
  process.exit(CONFIGURATION_EXIT_CODE);
}

const port = Number(process.env.PORT ?? 8080);
// This computer only, unless HOST says otherwise: other machines reach the hub through a TLS
// proxy in front (docs/hub-server.md), never over plain HTTP.
const host = process.env.HOST ?? '127.0.0.1';
const distDir = resolve(process.env.DIST_DIR ?? 'dist');

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), got "${process.env.PORT}"`);
  // A setting the next start would refuse again: systemd does not start it again (exit-code.ts).
  process.exit(CONFIGURATION_EXIT_CODE);
}
if (!existsSync(resolve(distDir, 'index.html'))) {
  // Exit 1: under systemd the next start finds it once a build has written it.
  console.error(`No built app in ${distDir}. Run "npm run build" first (npm start does this for you).`);
  process.exit(1);
}

// Set once SIGINT or SIGTERM asked the hub to stop (below).
let stopping = false;

/**
 * The embedded PostgreSQL is gone (the OOM killer, a crash) while the hub runs: without it the hub
 * would answer 503 for ever. The process ends (exit 1) so that systemd starts it again, and the start
 * takes over the cluster; unless it is stopping already, when PostgreSQL's exit is part of that.
 */
function storeLost(line: string): void {
  if (stopping) return;
  console.error(`${line}\nThe hub server stops (exit 1) so that it is started again (systemd: Restart=on-failure).`);
  process.exit(1);
}

// First, so that whatever follows (a failed start included) is read against the code that said it.
console.log(`拠点ナビ hub ${buildId(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), (v) => v)}, Node ${process.versions.node}`);

const hub = await startHub({ port, host, distDir, env: process.env, log: (line) => console.log(line), onStoreLost: storeLost }).catch((error: unknown) => {
  // The server's own files and the port, said in words: the commonest start-up failures after the store's (embedded-errors.ts).
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (syscall !== 'listen' && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') && path !== undefined) {
    // The key file made beside the embedded store before it opens (data/secret.key, when
    // KYOTEN_SECRET_KEY is not set): a folder left by an earlier start as root, or one systemd keeps
    // read-only. The folder is the path itself when it could not be made.
    const dir = syscall === 'mkdir' ? path : dirname(path);
    if (code === 'EROFS') {
      console.error(
        `${path} を書き込めません（読み取り専用の場所。systemd の ProtectSystem=strict など）。KYOTEN_DATA_DIR を書き込める場所（systemd では ReadWritePaths= のフォルダ、例：/var/lib/kyoten-navi）にするか、KYOTEN_SECRET_KEY と DATABASE_URL を設定してください。\n` +
          `Cannot write ${path}: a read-only place (e.g. systemd's ProtectSystem=strict). Set KYOTEN_DATA_DIR to a writable folder (under systemd, one in ReadWritePaths=, e.g. /var/lib/kyoten-navi), or set KYOTEN_SECRET_KEY and DATABASE_URL.`,
      );
    } else {
      // The account itself (not who ran an admin command through kyoten-admin.sh): it goes into a chown.
      const me = osUserName({ ...process.env, KYOTEN_OPERATOR: undefined }) ?? String(process.getuid?.() ?? 'the user running the server');
      // A folder that could not be made does not exist to be taken back: it is made for that user.
      const fix = syscall === 'mkdir' ? `sudo install -d -o ${me} -m 0700 ${path}` : `sudo chown -R ${me} ${dir}`;
      console.error(
        `${path} を読み書きできません（${code}）。前に root で起動したときの残りなら ${fix} で直すか、KYOTEN_DATA_DIR で ${me} が書き込めるフォルダを指定してください。\n` +
          `Cannot read or write ${path} (${code}): if an earlier start as root left it, fix it with ${fix}, or set KYOTEN_DATA_DIR to a folder ${me} can write.`,
      );
    }
  } else if (code === 'EADDRINUSE') {
    console.error(
      `ポート ${port} は別のプログラムが使っています。そのプログラム（前に起動した拠点サーバーなど）を止めるか、PORT で別のポートを指定してください。\n` +
        `Port ${port} on ${host} is already in use: stop the program using it (an earlier hub server?) or set PORT to another port.`,
    );
  } else if (code === 'EACCES' && syscall === 'listen') {
    console.error(
      `ポート ${port} を使う権限がありません（1024 未満のポートは管理者だけが使えます）。PORT=8080 などにして、前段のプロキシから転送してください。\n` +
        `No permission to listen on port ${port} (ports below 1024 need privileges): use PORT=8080 or so behind the reverse proxy.`,
    );
  } else {
    console.error('The hub server could not start:', error instanceof Error ? error.message : error);
  }
  // A setting the hub's checks refuse (DATABASE_POOL_SIZE, SESSION_*, KYOTEN_SECRET_KEY, all
  // checked before the port is taken) exits 78 and is not started again; the rest exit 1.
  process.exit(exitCodeFor(error));
});
const address = hub.server.address();
const shownPort = typeof address === 'object' && address ? address.port : port;
console.log(`拠点ナビ is running: http://localhost:${shownPort}/  (PORT=${shownPort})`);
console.log(`opening the store: ${describeStore(process.env)}`);

hub.store.then(
  async (store) => {
    console.log('store ready: /healthz answers 200');
    if (process.env.DATABASE_URL && !process.env.KYOTEN_SECRET_KEY) {
      console.warn('KYOTEN_SECRET_KEY is not set: TOTP secrets are stored in clear in the database. Set it (openssl rand -base64 32) before creating users.');
    }
    if ((await store.countUsers()) === 0) console.log(firstAdminHint(process.env));
  },
  async (error: unknown) => {
    console.error('The store could not be opened:', error instanceof Error ? error.message : error);
    await hub.close().catch(() => undefined);
    process.exit(exitCodeFor(error));
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('error while stopping:', error);
        process.exit(1);
      },
    );
  });
}
