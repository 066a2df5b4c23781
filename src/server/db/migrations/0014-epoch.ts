/**
 * Migration 14 (backups that restore): the database's epoch, an id that goes into every pull
 * cursor. A restore from backup gives the database a new one (`npm run admin -- restore`, or
 * db/epoch.ts renewEpoch), with each hub's head version at that moment as its floor: versions up
 * to the floor are the same in the old and the new timeline, those above it were lost. A device
 * that meets a new epoch pulls again and sends what it holds above the floor. Never edit it once
 * shipped.
 */
export const sql = /* sql */ `
CREATE TABLE hub_epoch (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  epoch text NOT NULL CHECK (epoch ~ '^[A-Za-z0-9-]{1,64}$'),
  started_at timestamptz NOT NULL DEFAULT now(),
  -- tenant id -> the head version the restored backup held (versions up to it survived)
  floors jsonb NOT NULL DEFAULT '{}'::jsonb
);
INSERT INTO hub_epoch (epoch) VALUES (gen_random_uuid()::text);
`;
