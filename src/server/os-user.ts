/**
 * The name of the OS user this process runs as; undefined when it has none (userInfo() throws for
 * a uid without a passwd entry: a container's --user, systemd's DynamicUser=) and USER is unset.
 * Led by the person who ran kyoten-admin.sh, when it says (KYOTEN_OPERATOR).
 */
import { userInfo } from 'node:os';

export function osUserName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let own: string | undefined;
  try {
    own = userInfo().username;
  } catch {
    own = env['USER'] ?? env['USERNAME'];
  }
  // docs/kyoten-admin.sh runs every command as the service's user: the person who ran it (sudo's
  // user) comes as KYOTEN_OPERATOR, so the admin's audit names them, not only the service account.
  const operator = env['KYOTEN_OPERATOR']?.trim();
  if (!operator || operator === own) return own;
  return own === undefined ? operator : `${operator} (as ${own})`;
}

/**
 * Who an audit row names: the OS user who ran the command (osUserName) always, and the name given
 * with --by beside it ('鈴木 (run by sato)'). --by replaced it: anyone who could run the command
 * could write a colleague's name into the audit (a reset of someone's password, then a sign-in as them).
 */
export function recordedOperator(by: string | undefined, operator: string | undefined): string {
  const ran = operator ?? 'unknown';
  const named = by?.trim();
  return !named || named === ran ? ran : `${named} (run by ${ran})`;
}
