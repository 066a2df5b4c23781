/**
 * Migration 5: what an admin did to a hub's records from the command line (`npm run admin --
 * withdraw-record`), kept for good: who, when, which record, why, and what the record held before.
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
-- One row per admin action on a record [R5]. done_by is the OS user who ran the command or its
-- --by argument (the CLI has no sign-in). previous_payload_json keeps what the record held, so a
-- withdrawal removes a record from every device but loses nothing on the hub.
CREATE TABLE admin_audit (
  id                     bigserial PRIMARY KEY,
  tenant_id              text NOT NULL REFERENCES tenants (id),
  action                 text NOT NULL CHECK (action IN ('withdraw-record')),
  kind                   text NOT NULL,
  entity_id              text NOT NULL,
  version                bigint NOT NULL,
  previous_version       bigint NOT NULL,
  previous_payload_json  text NOT NULL,
  reason                 text NOT NULL,
  done_by                text NOT NULL,
  done_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_record ON admin_audit (tenant_id, kind, entity_id);
`;
