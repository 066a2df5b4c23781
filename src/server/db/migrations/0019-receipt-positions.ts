/**
 * Migration 19 (issue 16, restores): receipts found by position. A push that carries the receipts
 * of entries a restore lost (db/countersign.ts adoptReceipts) keeps each only if no receipt of the
 * hub names its position already: without an index that was a scan of every receipt of the hub
 * per receipt carried, while the push held the hub's counter (2 s for 50 receipts among 100,000).
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
CREATE INDEX countersignatures_position ON countersignatures (tenant_id, position);
`;
