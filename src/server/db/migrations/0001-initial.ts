/**
 * Migration 1: accounts, devices, the change log and the state pull serves.
 * Plain SQL that PostgreSQL 15 (the system server) and 18 (the embedded one) both run.
 * Never edit a migration that has shipped: add the next one.
 */
export const sql = /* sql */ `
CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offices (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offices_tenant ON offices (tenant_id);

-- Roles: coordinator (拠点コーディネーター), case-worker (相談支援専門員), facility-liaison (連携担当者), admin.
-- password_hash (argon2id) and totp_secret are filled in by the accounts part of issue 5.
CREATE TABLE users (
  id             text PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id),
  office_id      text REFERENCES offices (id),
  facility_id    text,
  role           text NOT NULL CHECK (role IN ('coordinator', 'case-worker', 'facility-liaison', 'admin')),
  login_name     text NOT NULL,
  display_name   text NOT NULL,
  password_hash  text,
  totp_secret    text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, login_name)
);

-- last_seq: the highest seq of this device's change log that the server has taken (accepted,
-- duplicate or refused). The next change must carry last_seq + 1 [S3]. The row is also the lock
-- that queues two pushes of one device behind each other.
CREATE TABLE devices (
  id             text PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id),
  user_id        text NOT NULL REFERENCES users (id),
  name           text NOT NULL DEFAULT '',
  disabled       boolean NOT NULL DEFAULT false,
  last_seq       bigint NOT NULL DEFAULT 0,
  registered_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz
);
CREATE INDEX devices_user ON devices (user_id);

-- The one version counter [S2]: a single row, moved by UPDATE ... RETURNING inside the transaction
-- that commits the change. Its row lock makes versions follow commit order with no holes (an
-- aborted push takes its versions back), which a sequence would not.
CREATE TABLE sync_counter (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   bigint NOT NULL
);
INSERT INTO sync_counter (only_row, version) VALUES (true, 0);

-- The accepted change log, one row per accepted change.
CREATE TABLE changes (
  version      bigint PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  device_id    text NOT NULL REFERENCES devices (id),
  device_seq   bigint NOT NULL,
  mutation_id  uuid NOT NULL,
  user_id      text NOT NULL REFERENCES users (id),
  kind         text NOT NULL CHECK (kind IN ('household', 'facility', 'office', 'case-entry', 'access')),
  entity_id    text NOT NULL,
  op           text NOT NULL CHECK (op IN ('create', 'update', 'withdraw', 'append')),
  payload      jsonb NOT NULL,
  device_at    timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_id, device_seq),
  UNIQUE (tenant_id, mutation_id)
);

-- One receipt per seq a device has used, whatever became of it: a retry of that seq gets the same
-- answer [S4], and refused changes stay here with their reason and payload [S11].
CREATE TABLE receipts (
  device_id     text NOT NULL REFERENCES devices (id),
  device_seq    bigint NOT NULL,
  tenant_id     text NOT NULL REFERENCES tenants (id),
  mutation_id   text NOT NULL,
  user_id       text NOT NULL REFERENCES users (id),
  kind          text NOT NULL,
  entity_id     text NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'refused')),
  version       bigint,
  reason        text,
  detail        text,
  payload_json  text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, device_seq),
  CHECK ((outcome = 'refused') = (version IS NULL))
);
CREATE INDEX receipts_refused ON receipts (tenant_id, received_at) WHERE outcome = 'refused';

-- Current state per kind and id: what pull hands out [S2][S10]. payload_json is the JSON text as
-- received, not jsonb: jsonb reorders keys, and evidence must come back byte for byte.
CREATE TABLE records (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  kind         text NOT NULL CHECK (kind IN ('household', 'facility', 'office', 'case-entry')),
  entity_id    text NOT NULL,
  version      bigint NOT NULL UNIQUE,
  office_id    text,
  withdrawn    boolean NOT NULL DEFAULT false,
  payload_json text NOT NULL,
  updated_by   text NOT NULL REFERENCES users (id),
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, kind, entity_id)
);
CREATE INDEX records_pull ON records (tenant_id, version);

-- Evidence (case entries) by id with its hash [S7].
CREATE TABLE evidence (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  case_id      text NOT NULL,
  hash         text NOT NULL,
  version      bigint NOT NULL REFERENCES changes (version),
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX evidence_case ON evidence (tenant_id, case_id);

-- Same-field conflicts of the field-level merge (a later part of issue 5): the value kept, the value
-- that lost, and the version both edits were based on, until someone settles it.
CREATE TABLE conflicts (
  id             bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id),
  kind           text NOT NULL,
  entity_id      text NOT NULL,
  field          text NOT NULL,
  base_version   bigint,
  kept_version   bigint NOT NULL,
  kept_value     jsonb,
  lost_version   bigint NOT NULL,
  lost_value     jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at    timestamptz,
  resolved_by    text REFERENCES users (id)
);
CREATE INDEX conflicts_open ON conflicts (tenant_id, kind, entity_id) WHERE resolved_at IS NULL;
`;
