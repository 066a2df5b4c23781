/**
 * How the server's process ends when it cannot start, for systemd (docs/kyoten-navi.service): a
 * hub that cannot start for its configuration fails the same way at every start, and is not started
 * again (`RestartPreventExitStatus`); one whose database is not up yet (a slow boot, PostgreSQL's
 * recovery after a power cut) is, every 5 seconds, until it is. docs/hub-server.md (the production
 * recipe, step 3) lists which is which.
 */
import { StoreError } from './db/store';
import { SigningKeyFileMissingError, SigningKeyMismatchError } from './services/hub-key';
import { SecretKeyError } from './services/secret-box';
import { SettingError } from './setting-error';

/** EX_CONFIG of sysexits.h: the unit names it in RestartPreventExitStatus. */
export const CONFIGURATION_EXIT_CODE = 78;

/** The exit code for the error that stopped the start. */
export function exitCodeFor(error: unknown): number {
  return isConfigurationFault(error) ? CONFIGURATION_EXIT_CODE : 1;
}

/**
 * A fault that the next start would meet again, whatever waiting does:
 * - a database migrated by a newer server (`schema-too-new`);
 * - a signing key other than the one the receipts were signed with (SigningKeyMismatchError), or an
 *   embedded data folder that holds receipts but no signing.key (SigningKeyFileMissingError);
 * - a KYOTEN_SECRET_KEY that does not open the signing key kept in the database (SecretKeyError);
 * - a setting the hub's own checks refuse: they throw a SettingError naming it (DATABASE_POOL_SIZE,
 *   SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, KYOTEN_SECRET_KEY or data/secret.key,
 *   KYOTEN_SIGNING_KEY or data/signing.key). Any other RangeError (V8's out of memory, Node's
 *   ERR_…) is not taken for one.
 * Everything else, a database that refuses connections or is still starting among them, exits 1.
 */
function isConfigurationFault(error: unknown): boolean {
  if (error instanceof StoreError) return error.code === 'schema-too-new';
  if (error instanceof SigningKeyMismatchError || error instanceof SigningKeyFileMissingError || error instanceof SecretKeyError) return true;
  return error instanceof SettingError;
}
