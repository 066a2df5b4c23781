/**
 * Migration 22: who changed an account from the command line, and when. The account commands
 * (`npm run admin -- create-hub | create-office | create-user | reset-credentials | disable-user |
 * disable-device | move-device | revoke-device-user`) grant, reset and stop access to the hub's
 * 要配慮個人情報; before this migration none of them left a trace (only withdraw-record wrote
 * admin_audit, migration 5). Each writes one row here, in the transaction of its change
 * (db/account-audit.ts), so a change is never recorded without having happened, nor the other way.
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
-- One row per account command that succeeded. subject: the hub, office or device id or the login
-- acted on; detail: what an auditor needs beside it (the role and office of a new user, the login
-- a device was handed to), never a password, a TOTP secret or an otpauth URI. done_by is the
-- command's --by, else the OS user who ran it (as admin_audit.done_by).
CREATE TABLE account_audit (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants (id),
  action     text NOT NULL CHECK (action IN ('create-hub', 'create-office', 'create-user', 'reset-credentials',
                                             'disable-user', 'disable-device', 'move-device', 'revoke-device-user')),
  subject    text NOT NULL,
  detail     text NOT NULL DEFAULT '',
  done_by    text NOT NULL,
  done_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_audit_hub_time ON account_audit (tenant_id, done_at);
`;
