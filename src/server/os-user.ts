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
