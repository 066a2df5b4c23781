/**
 * The name of the OS user this process runs as; undefined when it has none (userInfo() throws for
 * a uid without a passwd entry: a container's --user, systemd's DynamicUser=) and USER is unset.
 */
import { userInfo } from 'node:os';

export function osUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'];
  }
}
