/**
 * Why the embedded PostgreSQL could not start, in words an admin can act on (Japanese, then
 * English), instead of a bare `spawn …/initdb EACCES`. The raw detail stays on the last line for
 * whoever debugs it. Pure: it reads only the error and what the caller says about the start.
 */

export type EmbeddedFailure = 'access' | 'disk-full' | 'socket-busy' | 'no-binary' | 'start';

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
  /** PostgreSQL's own log, for the cases we cannot name */
  readonly logPath: string;
}

function detailOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${code === undefined ? '' : `${code}: `}${error.message}`;
}

function classify(error: unknown): EmbeddedFailure {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const text = detailOf(error);
  if (code === 'ENOSPC' || /No space left on device|could not extend file|disk full/i.test(text)) return 'disk-full';
  if ((code === 'ENOENT' && /spawn/.test(text)) || /No embedded PostgreSQL for/.test(text)) return 'no-binary';
  if (code === 'EACCES' || code === 'EPERM' || /Permission denied|could not (access|change|create) directory|must be owned by/i.test(text)) return 'access';
  if (/could not (create|bind)[^\n]*(lock file|socket)|Address already in use|another server might be running|is another postmaster/i.test(text)) return 'socket-busy';
  return 'start';
}

/** The admin-facing explanation of a failed start; an EmbeddedStartError is returned as it is. */
export function explainEmbeddedFailure(error: unknown, context: StartContext): EmbeddedStartError {
  if (error instanceof EmbeddedStartError) return error;
  const reason = classify(error);
  const dir = context.dataDir;
  const who = context.asPostgresUser ? 'ユーザー「postgres」' : 'このサーバーを動かしているユーザー';
  const whoEn = context.asPostgresUser ? 'the system user "postgres"' : 'the user running this server';
  const lines: Record<EmbeddedFailure, readonly [string, string, string, string]> = {
    access: [
      `内蔵データベース（PostgreSQL）を起動できません。${who}がデータフォルダ ${dir} に入れないか、書き込めません。` +
        (context.asPostgresUser ? 'root で動かすと、内蔵データベースは安全のため postgres ユーザーで動きます。' : ''),
      context.asPostgresUser
        ? `対処：KYOTEN_DATA_DIR を postgres ユーザーがたどれるフォルダ（例：/var/lib/kyoten-navi）にするか、root 以外のユーザーでサーバーを動かしてください。途中のフォルダすべてに他のユーザーの実行権（x）が要ります。DATABASE_URL で PostgreSQL を指定しても動きます。`
        : `対処：${dir} とその上のフォルダに書き込めるユーザーで動かすか、KYOTEN_DATA_DIR を書き込めるフォルダにしてください。DATABASE_URL で PostgreSQL を指定しても動きます。`,
      `The embedded PostgreSQL cannot start: ${whoEn} cannot enter or write the data directory ${dir}.` +
        (context.asPostgresUser ? ' Under root the embedded PostgreSQL runs as "postgres", which cannot reach folders only root may enter.' : ''),
      context.asPostgresUser
        ? 'What to do: set KYOTEN_DATA_DIR to a directory "postgres" can reach (e.g. /var/lib/kyoten-navi; every folder above it needs execute permission for others), or run the server as an ordinary user, or set DATABASE_URL.'
        : `What to do: run the server as a user who can write ${dir} and the folders above it, or set KYOTEN_DATA_DIR to a writable directory, or set DATABASE_URL.`,
    ],
    'disk-full': [
      `内蔵データベース（PostgreSQL）を起動できません。${dir} のあるディスクに空きがありません。`,
      '対処：ディスクの空きを作ってから起動し直してください（古いバックアップやログの移動など）。確定した記録は失われていません。',
      `The embedded PostgreSQL cannot start: the disk holding ${dir} is full.`,
      'What to do: free space on that disk (move old backups or logs away), then start again. Nothing committed has been lost.',
    ],
    'socket-busy': [
      `内蔵データベース（PostgreSQL）を起動できません。別の PostgreSQL が ${dir} のデータベースかその接続口（ソケット）を使っています。`,
      '対処：このフォルダを使う別の拠点サーバーや PostgreSQL を止めてから起動し直すか、KYOTEN_DATA_DIR を別のフォルダにしてください。',
      `The embedded PostgreSQL cannot start: another PostgreSQL is using the database or its socket in ${dir}.`,
      'What to do: stop the other hub server or PostgreSQL using this directory, or set KYOTEN_DATA_DIR to another directory.',
    ],
    'no-binary': [
      '内蔵データベース（PostgreSQL）のプログラムが見つかりません。',
      '対処：npm ci で入れ直すか、DATABASE_URL で PostgreSQL を指定してください。',
      'The embedded PostgreSQL binaries were not found.',
      'What to do: run "npm ci" again, or set DATABASE_URL to a PostgreSQL server.',
    ],
    start: [
      `内蔵データベース（PostgreSQL）を起動できませんでした。理由は ${context.logPath} の末尾にあります。`,
      '対処：そのログを確認してください。分からないときは、この表示全体を管理担当者に伝えてください。',
      `The embedded PostgreSQL could not start. The reason is at the end of ${context.logPath}.`,
      'What to do: read that log; if unsure, pass this whole message to whoever runs the hub.',
    ],
  };
  const [ja, jaWhat, en, enWhat] = lines[reason];
  return new EmbeddedStartError(reason, [ja, jaWhat, en, enWhat, `(detail: ${detailOf(error).trim()})`].join('\n'), { cause: error });
}
