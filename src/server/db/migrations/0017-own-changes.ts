/**
 * Migration 17 (issue 16, the push): this device's latest change to each record a push touches is
 * read through an index on (device, kind, entity, version) instead of walking every change the
 * device ever sent. Without it PostgreSQL read all of the device's changes and compared each with
 * each record of the push: a push of 1,000 edits from a device that had sent 2,000 changes before
 * took 200 ms in that statement alone (2,000,000 rows compared), and it grew with the device's age.
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
CREATE INDEX changes_device_record ON changes (device_id, kind, entity_id, version);
`;
