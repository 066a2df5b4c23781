/**
 * Migration 21 (a household moved between offices): the hub keeps every departure of a record from
 * an office, and a case worker's pull hands it out as a removal. Before it, the pull filtered on
 * the office a record is held under now and never told a phone that a record had left its scope:
 * a household moved from office A to office B stayed, with its medical, behaviour and family
 * record, on the phones of office A's 相談支援専門員 for good (docs/sync-protocol.md, Scope).
 *
 * - `record_departures` holds one row per write of a record that changed the office it is held
 *   under: the hub, the version of that write, the record, and the office it left. A trigger
 *   writes it (as migration 16's line), in the same statement as the record and so in the same
 *   transaction and at the same version as the change that moved it: a pull never sees one
 *   without the other, and a departure committed late has a later version than anything a pull
 *   has seen [S2]. Whoever writes the row (a push, a hand-made correction) writes its departure.
 *   A record held under no office (facilities, offices: hub-wide) has nothing to leave. Its key,
 *   (tenant_id, version), is what the pull reads by.
 * - `pull_page` (migration 18) is replaced, with the same arguments and settings. For a scope of
 *   offices (a case worker) the page holds, with its records and in one version order with them,
 *   a removal for each departure from an office of the scope whose record is not in the scope now:
 *   R4's wire form (withdrawn, payloadJson "null"), under the office it left. The page's size
 *   counts both; its versions are the window both are taken from, so a page that is not full
 *   (the cursor moves to the head) holds every departure up to the head. The departures are read
 *   by their key from the cursor on, and each one's record by its key: no scan of the records.
 *   A scope of every office (coordinator, admin) is given nothing new, and a first sync (cursor 0)
 *   no removal: it holds nothing. A pull from the start after a restore [S15] is given those
 *   above the floor: what the device holds beyond it may have left.
 * - Still one statement, so one snapshot [S2]. A page without a removal (every first sync, every
 *   pull of a scope of every office, nearly every other) sends its records' lines straight from
 *   the index, as migration 18 did; only a page with one merges and sorts them. Merging every page
 *   made a page of 2,000 households 20–60 % dearer (a sort of its ~7 MB of lines). What
 *   is left costs ~25 µs a pull, the larger plan's start and end (the function called in a loop on
 *   one connection, 20,000 households, 200 moves: an empty page 0.040 → 0.066 ms, a first sync's
 *   page of 2,000 unchanged).
 * Never edit it once shipped; a change to the page is a new migration replacing the function.
 */
export const sql = /* sql */ `
CREATE TABLE record_departures (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  -- the version of the write that moved the record (its records row took the same)
  version    bigint NOT NULL,
  kind       text NOT NULL,
  entity_id  text NOT NULL,
  -- the office it left
  office_id  text NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

CREATE FUNCTION records_departure() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO record_departures (tenant_id, version, kind, entity_id, office_id)
  VALUES (NEW.tenant_id, NEW.version, NEW.kind, NEW.entity_id, OLD.office_id);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER records_departure AFTER UPDATE ON records
  FOR EACH ROW WHEN (OLD.office_id IS NOT NULL AND OLD.office_id IS DISTINCT FROM NEW.office_id)
  EXECUTE FUNCTION records_departure();

CREATE OR REPLACE FUNCTION pull_page(p_tenant text, p_all boolean, p_offices text[], p_facility text,
                                     p_epoch text, p_after bigint, p_marked bigint, p_mark bigint, p_limit integer)
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE
  SET plan_cache_mode = force_generic_plan
  SET jit = off
  SET work_mem = '16MB'
AS $$
BEGIN
  RETURN QUERY
    WITH e AS (SELECT epoch, floors ->> p_tenant AS floor, (p_epoch IS NOT NULL AND p_epoch <> epoch) AS changed FROM hub_epoch LIMIT 1), -- one row to the planner too (LIMIT 1)
         h AS (SELECT coalesce((SELECT version FROM sync_heads WHERE tenant_id = p_tenant), 0) AS head,
                      p_marked AS marked, 'epoch'::timestamptz + p_mark * interval '1 millisecond' AS at),
         -- [S15] Is a marked cursor of this epoch of this timeline? (see sql-store.ts, pullAnswer)
         d AS (SELECT NOT e.changed AND h.marked IS NOT NULL AND (
                        h.marked > h.head
                        OR EXISTS (SELECT 1 FROM changes WHERE tenant_id = p_tenant AND version = h.marked AND received_at > h.at)
                        OR EXISTS (SELECT 1 FROM records WHERE tenant_id = p_tenant AND version = h.marked AND received_at > h.at)
                      ) AS diverged
                 FROM e, h),
         -- the records after 'after'; the departures after 'left': none on a first sync (0), after the
         -- floor [S15] for a cursor of another timeline (another epoch's, or a diverged cursor's)
         f AS (SELECT CASE WHEN e.changed OR d.diverged THEN 0 ELSE p_after END AS after,
                      CASE WHEN e.changed THEN coalesce(e.floor::bigint, 0)
                           WHEN d.diverged THEN least(h.marked, h.head, greatest(
                             (SELECT max(version) FROM changes WHERE tenant_id = p_tenant AND received_at <= h.at),
                             (SELECT max(version) FROM records WHERE tenant_id = p_tenant AND received_at <= h.at), 0))
                           ELSE p_after END AS "left"
                 FROM e, h, d),
         -- [S10] what left an office of this scope and is not in the scope now: a removal each (a
         -- scope of every office, or of none, has none to be given). Read twice, by its key each time.
         gone AS NOT MATERIALIZED (
           SELECT g.kind, g.entity_id, g.version, g.office_id FROM record_departures g
            WHERE NOT p_all AND cardinality(p_offices) > 0 AND (SELECT "left" FROM f) > 0
              AND g.tenant_id = p_tenant AND g.version > (SELECT "left" FROM f) AND g.office_id = ANY (p_offices)
              AND NOT EXISTS (SELECT 1 FROM records r WHERE r.tenant_id = g.tenant_id AND r.kind = g.kind AND r.entity_id = g.entity_id
                                 AND (r.office_id IS NULL OR r.office_id = ANY (p_offices)))
            ORDER BY g.version
            LIMIT p_limit + 1),
         -- the page's versions (one past it: is there more?), without its payloads
         page AS (
           SELECT kind, entity_id, version, withdrawn, removal, row_number() OVER (ORDER BY version) AS n FROM (
             (SELECT r.kind, r.entity_id, r.version, r.withdrawn, false AS removal FROM records r
               WHERE r.tenant_id = p_tenant AND r.version > (SELECT after FROM f) AND (p_all OR r.office_id IS NULL OR r.office_id = ANY (p_offices))
                 AND (p_facility IS NULL OR (r.kind = 'facility' AND r.entity_id = p_facility))
               ORDER BY r.version
               LIMIT p_limit + 1)
             UNION ALL
             (SELECT g.kind, g.entity_id, g.version, true, true FROM gone g)
             ORDER BY version
             LIMIT p_limit + 1) AS p),
         m AS (SELECT (SELECT max(version) FROM page WHERE n <= p_limit) AS last,
                      EXISTS (SELECT 1 FROM page WHERE n <= p_limit AND removal) AS removals)
    SELECT json_build_object(
             'epoch', e.epoch, 'floor', e.floor, 'epochChanged', e.changed, 'head', h.head, 'diverged', d.diverged,
             'mark', ceil(extract(epoch FROM now()) * 1000)::bigint,
             'divergedFloor', CASE WHEN d.diverged THEN f."left" END,
             'fetched', (SELECT count(*) FROM page),
             'last', m.last,
             'entries', (SELECT coalesce(json_agg(entity_id ORDER BY version), '[]') FROM page WHERE n <= p_limit AND kind = 'case-entry' AND NOT withdrawn),
             'openConflicts', (SELECT count(*) FROM conflicts c WHERE c.tenant_id = p_tenant AND c.resolved_at IS NULL AND (p_all OR c.office_id IS NULL OR c.office_id = ANY (p_offices))
                AND (p_facility IS NULL OR (c.kind = 'facility' AND c.entity_id = p_facility)))
           )::text
      FROM e, h, d, f, m
    UNION ALL
    -- the same rows as the page's first p_limit (same snapshot, same filters, up to its last
    -- version), in version order: a page without a removal (a first sync, any pull of a scope of
    -- every office, nearly every other) is each record's line (migration 16) straight from the
    -- index, as before; a page with one merges them with the removals' WireRecords, and sorts.
    (SELECT ',' || r.wire_json
       FROM records r
      WHERE NOT (SELECT removals FROM m)
        AND r.tenant_id = p_tenant AND r.version > (SELECT after FROM f) AND r.version <= (SELECT last FROM m) AND (p_all OR r.office_id IS NULL OR r.office_id = ANY (p_offices))
        AND (p_facility IS NULL OR (r.kind = 'facility' AND r.entity_id = p_facility))
      ORDER BY r.version)
    UNION ALL
    (SELECT y.line FROM (
        SELECT x.line FROM (
            SELECT r.version, ',' || r.wire_json AS line
              FROM records r
             WHERE r.tenant_id = p_tenant AND r.version > (SELECT after FROM f) AND r.version <= (SELECT last FROM m) AND (p_all OR r.office_id IS NULL OR r.office_id = ANY (p_offices))
               AND (p_facility IS NULL OR (r.kind = 'facility' AND r.entity_id = p_facility))
            UNION ALL
            SELECT g.version, ',{"kind":' || to_json(g.kind)::text || ',"entityId":' || to_json(g.entity_id)::text || ',"version":' || g.version ||
                              ',"officeId":' || to_json(g.office_id)::text || ',"withdrawn":true,"payloadJson":"null"}'
              FROM gone g
             WHERE g.version <= (SELECT last FROM m)) AS x
         ORDER BY x.version
        OFFSET 0) AS y -- OFFSET 0: the test below stays above the sort, which a page without a removal never starts
      WHERE (SELECT removals FROM m));
END
$$;
`;
