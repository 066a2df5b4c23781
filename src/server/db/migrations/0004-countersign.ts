/**
 * Migration 4: the hub countersigns evidence (issue 11, part 4). One receipt per evidence entry,
 * signed once and handed out unchanged ever after (to the device that pushed it, on a duplicate or
 * replay, and to every device that pulls the entry); and the signing key for hubs run over
 * DATABASE_URL without KYOTEN_SIGNING_KEY (services/hub-key.ts).
 * Never edit a migration that has shipped: add the next one.
 */
export const sql = /* sql */ `
-- received_at is the text exactly as signed (an ISO instant in UTC, milliseconds), not a timestamptz
-- that could be read back in another form; the statement is rebuilt from these columns.
CREATE TABLE countersignatures (
  tenant_id        text NOT NULL,
  entry_id         text NOT NULL,
  case_id          text NOT NULL,
  entry_hash       text NOT NULL,
  position         bigint NOT NULL,
  received_at      text NOT NULL,
  key_fingerprint  text NOT NULL,
  signature        text NOT NULL,
  signed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entry_id),
  FOREIGN KEY (tenant_id, entry_id) REFERENCES evidence (tenant_id, id)
);

-- One row: the Ed25519 private key (PKCS#8 DER, base64), sealed with KYOTEN_SECRET_KEY when set.
-- The first server to start makes it; every other server over this database uses the same one.
CREATE TABLE hub_signing_key (
  only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  private_key  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
`;
