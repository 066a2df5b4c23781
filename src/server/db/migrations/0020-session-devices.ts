/**
 * Migration 20 (a retired device's session): each session records the device it was opened
 * through, so that disabling the device ends it (docs/sync-protocol.md A5, A6, A8). A session
 * opened with a device token names that device; a password session names the device it enrols
 * (the sign-in of the join comes before the device is known), and enrols no other. Before it, a
 * phone wiped on retirement left its browser's cookie alive for up to 12 hours, and that cookie
 * could enrol a new device id and pull the user's whole scope. Sessions opened before this
 * migration name no device. Never edit it once shipped.
 */
export const sql = /* sql */ `
-- NULL: opened by password and not (yet) used to enrol a device, or opened before migration 20.
-- end_reason gains 'device-disabled' (a text column: nothing to alter).
ALTER TABLE sessions ADD COLUMN device_id text REFERENCES devices (id);
CREATE INDEX sessions_open_by_device ON sessions (device_id) WHERE ended_at IS NULL;
`;
