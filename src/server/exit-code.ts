/**
 * How the server's process ends when it cannot start, for systemd (docs/kyoten-navi.service): a
 * hub that cannot start for its configuration fails the same way at every start, and is not started
 * again (`RestartPreventExitStatus`); one whose database is not up yet (a slow boot, PostgreSQL's
 * recovery after a power cut) is, every 5 seconds, until it is.
 */
import { StoreError } from './db/store';
import { SigningKeyMismatchError } from './services/hub-key';

/** EX_CONFIG of sysexits.h: the unit names it in RestartPreventExitStatus. */
export const CONFIGURATION_EXIT_CODE = 78;

/** The exit code for the error that stopped the start. */
export function exitCodeFor(error: unknown): number {
  const configuration = (error instanceof StoreError && error.code === 'schema-too-new') || error instanceof SigningKeyMismatchError;
  return configuration ? CONFIGURATION_EXIT_CODE : 1;
}
