/**
 * Migration 8: who the staff of a device are on the hub. A case entry names its writer by the
 * device's own user id (the vault's key slot), which the hub never issued; each sign-in on a device
 * binds that local id to the hub account that signed in, so the hub can check that an entry was
 * written by the one who pushes it [E6]. Never edit a migration that has shipped: add the next one.
 */
export const sql = /* sql */ `
CREATE TABLE device_authors (
  device_id      text NOT NULL REFERENCES devices (id),
  local_user_id  text NOT NULL,
  user_id        text NOT NULL REFERENCES users (id),
  bound_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, local_user_id)
);
CREATE INDEX device_authors_user ON device_authors (device_id, user_id);
`;
