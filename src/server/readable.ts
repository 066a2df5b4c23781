/** A file an admin command is to read, checked first so that the error says why in words. */
import { accessSync, constants as fsConstants } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Throws, in words, when `path` cannot be read by this process: missing, or in a folder its user
 * (`kyoten`, through kyoten-admin.sh) may not enter (a home folder is 0700), which existsSync
 * reported as "no backup" though the file was there.
 */
export function unreadable(path: string, what: string, whatEn: string): void {
  try {
    accessSync(path, fsConstants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path} に${what}がありません。パスを確かめてください / no ${whatEn} at ${path}`);
    // the process's own user (kyoten under kyoten-admin.sh), not who ran the script
    let user = 'this user';
    try {
      user = userInfo().username;
    } catch {
      // no user name for this uid (a container): the words say "this user"
    }
    throw new Error(
      `${path} を読めません（${user} として実行しています。${user} が読めるフォルダー、たとえば /var/backups/kyoten-navi に置いてください。ホームフォルダーは読めないことがあります） / ` +
        `cannot read ${path} as ${user} (${code ?? (error as Error).message}): put it in a folder ${user} can read, e.g. /var/backups/kyoten-navi`,
    );
  }
}
