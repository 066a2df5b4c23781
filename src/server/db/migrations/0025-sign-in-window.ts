/**
 * Migration 25: failed sign-ins count for a window from the first of them (`counted_since`,
 * FAILURE_WINDOW_SECONDS in services/accounts.ts), then start over, and a count whose window and
 * lock are over is removed (docs/sync-protocol.md A4). Before it a login's count only ever grew
 * until a success, so a login attacked once was locked for an hour at each later typo, and every
 * name typed at a failed sign-in (a password typed in the name field too) stayed for ever. A count
 * kept from before starts its window at its last failure. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE login_throttle ADD COLUMN counted_since timestamptz;
UPDATE login_throttle SET counted_since = last_failure_at;
ALTER TABLE login_throttle ALTER COLUMN counted_since SET NOT NULL;
-- The sweep of lapsed counts reads them by it, however many names were typed.
CREATE INDEX login_throttle_counted_since ON login_throttle (counted_since);
`;
