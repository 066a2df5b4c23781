/**
 * Migration 6: retirement never loses data (issue 12). What the hub refuses from a retiring
 * device is kept in a quarantine an admin reads and resolves, and each retired device's state
 * (sent, wiped) is recorded. Also the reserved sign-in attempts of A4 need nothing new: the
 * login_throttle table of migration 2 holds them. Never edit it once shipped.
 */
export const sql = /* sql */ `
-- A change a retiring device sent and the hub refused (scope, not an append-only kind, a broken
-- link...): the device wipes after sending, so this row is the only copy. Kept until an admin
-- resolves it, and after (resolved_at says it was dealt with; nothing is deleted).
CREATE TABLE quarantine (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id),
  device_id       text NOT NULL REFERENCES devices (id),
  device_seq      bigint NOT NULL,
  user_id         text NOT NULL REFERENCES users (id),
  mutation_id     text NOT NULL,
  kind            text NOT NULL,
  entity_id       text NOT NULL,
  reason          text NOT NULL,
  detail          text NOT NULL,
  -- the change as the device sent it, JSON text
  change_json     text NOT NULL,
  quarantined_at  timestamptz NOT NULL,
  resolved_at     timestamptz,
  resolution      text,
  UNIQUE (device_id, device_seq),
  CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX quarantine_open ON quarantine (tenant_id) WHERE resolved_at IS NULL;

-- A retired device's way out: when its last retire push was answered, and when it said it wipes.
ALTER TABLE devices ADD COLUMN retire_sent_at timestamptz;
ALTER TABLE devices ADD COLUMN wiped_at timestamptz;
`;
