/**
 * Migration 8 (record kinds): the kind columns stop listing the kinds in a CHECK. The set of record
 * kinds grows with the product (trial stays, month closes, coordinators...), and several branches
 * adding a kind each would otherwise rewrite one CHECK in turn, the last dropping the others' kinds.
 * The server validates the kind against protocol CHANGE_KINDS before any write (a zod enum in the
 * push schema), so the database keeps only a shape check. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE changes DROP CONSTRAINT IF EXISTS changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_shape CHECK (kind ~ '^[a-z][a-z-]{0,39}$');
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_shape CHECK (kind ~ '^[a-z][a-z-]{0,39}$');
ALTER TABLE record_versions DROP CONSTRAINT IF EXISTS record_versions_kind_check;
ALTER TABLE record_versions ADD CONSTRAINT record_versions_kind_shape CHECK (kind ~ '^[a-z][a-z-]{0,39}$');
`;
