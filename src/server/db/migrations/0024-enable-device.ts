/**
 * Migration 24: `npm run admin -- enable-device` brings back a device stopped by mistake before it
 * contacted the hub (before it, such a phone wiped at its next contact and joined again), and
 * `resolve-quarantine` names who closed a quarantined change (it left no trace of who did). Both
 * write an account_audit row, so the audit table's action list takes them. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check;
ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check
  CHECK (action IN ('create-hub', 'create-office', 'create-user', 'reset-credentials', 'disable-user', 'enable-user',
                    'disable-device', 'enable-device', 'move-device', 'revoke-device-user', 'resolve-quarantine'));
`;
