/**
 * Migration 3: the states a merged record (household, facility, office) has had, so an edit can
 * be merged against the version it was based on [S14], and who made each conflicting edit.
 * Never edit a migration that has shipped: add the next one.
 */
export const sql = /* sql */ `
-- One row per accepted change of a merged kind: the record as it stood after that change (the
-- merge result, which may differ from what the device sent). An edit names its base version; the
-- base state is read from here.
CREATE TABLE record_versions (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  kind          text NOT NULL CHECK (kind IN ('household', 'facility', 'office')),
  entity_id     text NOT NULL,
  version       bigint NOT NULL REFERENCES changes (version),
  payload_json  text NOT NULL,
  PRIMARY KEY (tenant_id, kind, entity_id, version)
);

-- conflicts.field holds a path (persons[p-1].medication), kept/lost values as jsonb; the users
-- behind each side come from changes.user_id of kept_version and lost_version.
ALTER TABLE conflicts ADD COLUMN office_id text;
`;
