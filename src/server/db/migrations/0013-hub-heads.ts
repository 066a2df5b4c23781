/**
 * Migration 13 (issue 16, load): one version counter per hub instead of one for every hub.
 *
 * A push held the single `sync_counter` row lock from its first read to COMMIT, so every hub the
 * server serves queued on one row: about 50 pushes a second in all. Versions now count per hub
 * (`sync_heads`, one row per tenant): pushes of one hub still queue on their hub's row, so a
 * hub's versions follow its commit order with no hole [S2], and pushes of different hubs never
 * wait for each other. A version is unique within its hub, so the keys that named a version
 * alone now name it with its hub.
 *
 * Every hub's counter starts at the old shared counter's value: a device's cursor may already be
 * at that value (a pull moves it to the head), and a hub's next version must lie above it.
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
CREATE TABLE sync_heads (
  tenant_id  text PRIMARY KEY REFERENCES tenants (id),
  version    bigint NOT NULL CHECK (version >= 0)
);
INSERT INTO sync_heads (tenant_id, version) SELECT t.id, c.version FROM tenants t CROSS JOIN sync_counter c;

ALTER TABLE evidence DROP CONSTRAINT evidence_version_fkey;
ALTER TABLE record_versions DROP CONSTRAINT record_versions_version_fkey;
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
ALTER TABLE changes ADD PRIMARY KEY (tenant_id, version);
ALTER TABLE evidence ADD FOREIGN KEY (tenant_id, version) REFERENCES changes (tenant_id, version);
ALTER TABLE record_versions ADD FOREIGN KEY (tenant_id, version) REFERENCES changes (tenant_id, version);
ALTER TABLE records DROP CONSTRAINT records_version_key;
DROP INDEX records_pull;
CREATE UNIQUE INDEX records_pull ON records (tenant_id, version);

DROP TABLE sync_counter;
`;
