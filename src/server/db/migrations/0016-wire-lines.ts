/**
 * Migration 16 (issue 16, load): each record keeps the line a pull sends for it. A pull page is
 * one WireRecord's JSON text per record (sql-store.ts, `pullAnswer`); built there, PostgreSQL
 * escaped each record's ~3.8 KB payload into a JSON string for every device that pulled it (a
 * hub's 300 phones pull each edit 300 times), about 10 µs a record of the page's ~25. A trigger now
 * builds the line once, when the record is written, from the row's own columns, so it cannot
 * disagree with them whoever writes (a push, an admin's correction, a seed). Rows written before
 * are filled here. Never edit it once shipped.
 *
 * The line is kept in the row itself (STORAGE MAIN: compressed, moved out of line only when the
 * row would not fit a page otherwise). Left to the default, both the payload and the line of a
 * ~3.8 KB household went to the TOAST table, and a page of 555 records spent ~2.3 ms of its
 * ~4.6 ms fetching them back from there, two TOAST chunks a record (EXPLAIN ANALYZE).
 */
export const sql = /* sql */ `
ALTER TABLE records ADD COLUMN wire_json text;
ALTER TABLE records ALTER COLUMN wire_json SET STORAGE MAIN;
DO $$
BEGIN
  ALTER TABLE records ALTER COLUMN wire_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'this PostgreSQL is built without lz4: the pull lines stay compressed with pglz';
END $$;

-- A WireRecord (src/protocol/sync.ts) as JSON text, its fields in the protocol's order.
CREATE FUNCTION records_wire_json() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.wire_json := '{"kind":' || to_json(NEW.kind)::text || ',"entityId":' || to_json(NEW.entity_id)::text ||
    ',"version":' || NEW.version || ',"officeId":' || coalesce(to_json(NEW.office_id)::text, 'null') ||
    ',"withdrawn":' || NEW.withdrawn::text || ',"payloadJson":' || to_json(NEW.payload_json)::text || '}';
  RETURN NEW;
END
$fn$;
CREATE TRIGGER records_wire_json BEFORE INSERT OR UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION records_wire_json();

UPDATE records SET payload_json = payload_json;
ALTER TABLE records ALTER COLUMN wire_json SET NOT NULL;
`;
