/**
 * Migration 7 (identity): a device (one phone, one secret, one seq stream) may have several users
 * who signed in on it (a shared on-call phone). Each gets a long-lived per-user device token,
 * stored as SHA-256 hex, that opens a session for that user on that device only. Enrolling an id
 * that is already registered needs the device's current secret, or an admin's hand-over
 * (`npm run admin -- move-device`). docs/sync-protocol.md A6, A8-A10. Never edit it once shipped.
 */
export const sql = /* sql */ `
CREATE TABLE device_users (
  device_id     text NOT NULL REFERENCES devices (id),
  user_id       text NOT NULL REFERENCES users (id),
  -- SHA-256 hex of the user's device token; a new sign-in on the device replaces it
  token_hash    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  -- the id of this person's key slot in the device's vault: the id the app puts in a case entry's
  -- recordedBy.userId (case entries written before they signed in here carry it too)
  vault_user_id text,
  PRIMARY KEY (device_id, user_id)
);
CREATE UNIQUE INDEX device_users_token ON device_users (device_id, token_hash) WHERE token_hash IS NOT NULL;
CREATE INDEX device_users_user ON device_users (user_id);

-- Every device enrolled so far keeps its one user (no token yet: they sign in once more to get one).
INSERT INTO device_users (device_id, user_id, created_at) SELECT id, user_id, registered_at FROM devices;

-- An admin's hand-over (move-device): the next enrolment of this id by this user needs no secret.
ALTER TABLE devices ADD COLUMN handover_to text REFERENCES users (id);
-- Failed device-token sign-ins on this device (POST /api/session/device), and its lock.
ALTER TABLE devices ADD COLUMN token_failures integer NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN token_locked_until timestamptz;
`;
