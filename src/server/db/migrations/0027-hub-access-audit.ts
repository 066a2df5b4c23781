/**
 * Migration 27: what the hub records of who reads it (an insider-misuse review). Before it, a
 * leaving coordinator could sign in from a script, register a device id of their choosing and pull
 * the whole hub from cursor 0, leaving a devices and a sessions row and nothing in any audit: the
 * 閲覧記録 is written by the phones. Now a device's registration (POST /api/devices) and a pull
 * that copies a scope from the beginning each write an account_audit row (services/hub-access.ts):
 * the registration in its own transaction, the copy before its first page is sent. Incremental
 * pulls write nothing (issue 16); `devices.first_pull_at` tells a device's first pull, whatever
 * cursor it names, without a write on the others. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check;
ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check
  CHECK (action IN ('create-hub', 'create-office', 'create-user', 'reset-credentials', 'disable-user', 'enable-user',
                    'disable-device', 'enable-device', 'move-device', 'revoke-device-user', 'resolve-quarantine',
                    'register-device', 'full-pull'));

-- When the hub first served this device a pull page (its 'full-pull' row was written then). NULL:
-- it never pulled, so its next pull is recorded as a full copy whatever cursor it names (a script
-- that starts at cursor 1 reads as much as one that starts at 0). A device registered before this
-- migration is taken as having pulled: its registration time stands in.
ALTER TABLE devices ADD COLUMN first_pull_at timestamptz;
UPDATE devices SET first_pull_at = registered_at;
`;
