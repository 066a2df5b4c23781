/**
 * Migration 2: what sign-in, sessions and device enrolment need (src/server/services/accounts.ts).
 * Secrets are never stored as given: passwords as argon2id hashes (users.password_hash, from
 * migration 1), session tokens and device secrets as SHA-256 hex. Never edit it once shipped.
 */
export const sql = /* sql */ `
-- The TOTP step (unix time / 30 s) of the last code that signed this user in: a code is taken
-- only for a later step, so a code seen over someone's shoulder cannot be used again.
ALTER TABLE users ADD COLUMN totp_last_step bigint;

-- SHA-256 hex of the secret handed out by POST /api/devices; re-enrolling replaces it.
ALTER TABLE devices ADD COLUMN secret_hash text;

-- A session per sign-in. id is SHA-256 hex of the cookie's token, so a copy of this table signs
-- nobody in. Idle expiry is last_seen_at + the idle timeout; expires_at is the absolute end.
CREATE TABLE sessions (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants (id),
  user_id       text NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  ended_at      timestamptz,
  -- 'signed-out', 'idle', 'expired', 'user-disabled'
  end_reason    text,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
CREATE INDEX sessions_open_by_user ON sessions (user_id) WHERE ended_at IS NULL;

-- Failed sign-ins per hub + login name, whether or not that login exists (so a lock says nothing
-- about who has an account). Cleared by a successful sign-in.
CREATE TABLE login_throttle (
  tenant_id       text NOT NULL,
  login_name      text NOT NULL,
  failures        integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  last_failure_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, login_name)
);
`;
