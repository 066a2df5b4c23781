/**
 * Migration 23: `npm run admin -- enable-user` brings back a user stopped by mistake (before it, a
 * person stopped by mistake needed a new account, and their past entries another name). It writes
 * its own account_audit row, so the audit table's action list takes it. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check;
ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check
  CHECK (action IN ('create-hub', 'create-office', 'create-user', 'reset-credentials', 'disable-user', 'enable-user',
                    'disable-device', 'move-device', 'revoke-device-user'));
`;
