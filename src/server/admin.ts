/**
 * `npm run admin -- <command>` (see ADMIN_USAGE): opens the same store as the server (DATABASE_URL,
 * or the embedded PostgreSQL in KYOTEN_DATA_DIR), runs one command, closes it.
 */
import { osUserName } from './os-user';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { EmbeddedStartError } from './db/embedded-errors';
import { dataDirOf, describeStore, openStoreFromEnv } from './db/open-store';
import { parseAdminArgs, runAdminCommand } from './admin-commands';
import { backupDatabase, restoreDatabase } from './backup-commands';
import { secretKeyFromEnv } from './services/secret-box';
import { hubKeyFromEnv } from './services/hub-key';
import { runVerifyEvidence } from './services/verify-evidence-command';
import { terminalSafeLines } from './terminal-text';
import { nodeVersionProblem } from './node-version';
import { CONFIGURATION_EXIT_CODE } from './exit-code';

// An older Node fails later in a TypeError, not in words: said first, and not started again (exit 78).
const tooOld = nodeVersionProblem(process.versions.node, process.execPath);
if (tooOld !== null) {
  console.error(tooOld);
  process.exit(CONFIGURATION_EXIT_CODE);
}

// What the commands print may quote what devices and users sent (a device's name, a refusal's
// detail, an error naming a device id): the commands escape each such field (terminalSafe), and
// every line and message still goes through terminalSafeLines here, so that no control sequence a
// device chose reaches the admin's terminal. Tabs and newlines stay, as the commands lay them out.
const print = (line: string) => console.log(terminalSafeLines(line));
const printError = (message: string) => console.error(terminalSafeLines(message));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function ask(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const muted = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(prompt);
    muted._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    // Ctrl+C ends the command (the store closed as after any error), not only the hidden input:
    // readline's default paused it, and what was typed next showed on the screen.
    rl.on('SIGINT', () => {
      rl.close();
      process.stdout.write('\n');
      process.exitCode = 130;
      reject(new Error('中断しました。何も変えていません / interrupted: nothing was changed'));
    });
  });
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return readStdin();
  const first = await ask('パスワード: ');
  const again = await ask('パスワード（確認）: ');
  if (first !== again) throw new Error('2回のパスワードが違います。何も変えていません / the two passwords differ: nothing was changed');
  return first;
}


let parsed: ReturnType<typeof parseAdminArgs>;
try {
  parsed = parseAdminArgs(process.argv.slice(2));
} catch (error) {
  // A refused restore names what it would have replaced, so the admin sees whether the shell's
  // environment points where they mean before adding --yes.
  const target = process.argv[2] === 'restore' ? `\nThe database a restore would replace: ${describeStore(process.env)}` : '';
  printError((error as Error).message + target);
  process.exit(2);
}

// docs/kyoten-admin.sh runs the command from the app's folder: a relative file is the caller's.
const callerDir = process.env['KYOTEN_CALLER_DIR'];
if (callerDir && typeof parsed.options['file'] === 'string') parsed.options['file'] = resolve(callerDir, parsed.options['file']);

// Checking an export against a public key needs no store: an auditor may run it anywhere.
if (parsed.command === 'verify-evidence' && parsed.options['public-key'] !== undefined) {
  try {
    await runVerifyEvidence(parsed.options['file'] as string, { publicKey: parsed.options['public-key'] as string, fingerprint: parsed.options['fingerprint'] as string | undefined }, { out: print }, null);
  } catch (error) {
    printError((error as Error).message);
    process.exitCode = 1;
  }
  process.exit();
}

// A backup or a restore works on the database itself (backup-commands.ts), never through an open store.
if (parsed.command === 'backup' || parsed.command === 'restore') {
  try {
    const file = parsed.options['file'] as string;
    if (parsed.command === 'backup') await backupDatabase(process.env, file, print);
    else await restoreDatabase(process.env, file, print);
  } catch (error) {
    printError((error as Error).message);
    process.exitCode = 1;
  }
  process.exit();
}

// Which database this command acts on, said first (on stderr, apart from what it prints): run from
// a shell without the service's DATABASE_URL, a command would act on an embedded store of its own.
const embeddedDir = process.env['DATABASE_URL'] ? null : join(dataDirOf(process.env), 'pg');
const freshEmbedded = embeddedDir !== null && !existsSync(embeddedDir);
console.error(terminalSafeLines(`対象のデータベース / database: ${describeStore(process.env)}`));
let store;
try {
  store = await openStoreFromEnv(process.env);
  if (freshEmbedded) {
    console.error(
      terminalSafeLines(
        `注意: ${embeddedDir} にデータベースがなかったため、新しい空の内蔵データベースを作りました。拠点サーバーが DATABASE_URL の PostgreSQL を使っている場合は、docs/kyoten-admin.sh（または同じ DATABASE_URL）でコマンドを実行してください / ` +
          `note: no database was at ${embeddedDir}, so a new empty embedded one was made; if the hub server runs on DATABASE_URL, run admin commands through docs/kyoten-admin.sh (or with the same DATABASE_URL)`,
      ),
    );
  }
} catch (error) {
  const message = (error as Error).message;
  if (error instanceof EmbeddedStartError && error.reason === 'in-use') {
    console.error(
      '拠点サーバーが内蔵データベースを使っています（内蔵データベースは一度に一つのプロセスしか使えません）。サーバーを止めて（そのターミナルで Ctrl+C）、このコマンドを実行してから、もう一度起動してください。\n' +
        `The hub server is running on ${describeStore(process.env)}, and the embedded store takes one process at a time.\n` +
        'Stop the server (Ctrl+C in its terminal), run this command, then start it again. ' +
        '(With DATABASE_URL the server and this command share the database and may run together.)',
    );
  } else {
    printError(`The store could not be opened (${describeStore(process.env)}): ${message}`);
  }
  process.exit(1);
}
try {
  await runAdminCommand(store, parsed.command, parsed.options, {
    out: print,
    readPassword,
    secretKey: secretKeyFromEnv(process.env),
    operator: osUserName(),
    hubKey: () => hubKeyFromEnv(process.env, store, { create: false }),
  });
} catch (error) {
  printError((error as Error).message);
  // 130 for Ctrl+C at a password prompt (ask), as a shell reports it
  if (process.exitCode !== 130) process.exitCode = 1;
} finally {
  await store.close();
}
