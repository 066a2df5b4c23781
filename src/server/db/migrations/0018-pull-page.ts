/**
 * Migration 18 (issue 16, the load): a pull page is planned once per connection, not once per pull.
 * The page statement (sql-store.ts, `pullAnswer`) runs as a COPY, so that its lines reach the hub
 * as PostgreSQL's bytes; COPY takes no bind parameters, so it could not be prepared, and
 * PostgreSQL planned its CTEs and subqueries on every pull: ~0.9 ms of a small incremental pull's
 * ~1.2 ms (pgbench, one hub of 2,000 households, 13 records a page). The statement now lives in a
 * PL/pgSQL function, whose plan PostgreSQL keeps for the session; the COPY only calls it.
 * - One statement, so one snapshot [S2], as before: the function is STABLE (it runs in the calling
 *   query's snapshot) and holds the one RETURN QUERY.
 * - The plan is generic from the first call (plan_cache_mode): the cursor and the limit are
 *   parameters, and a custom plan per call is the cost this migration removes.
 * - No JIT: a generic plan is costed on guesses, and a JIT-compiled page took ~0.7 s.
 * - work_mem 16 MB: the function's rows are held (a tuplestore) until the COPY sends them. At the
 *   default 4 MB a first sync's page of 2,000 households (~7 MB) went through a temporary file,
 *   +25 % of PostgreSQL's CPU for a first sync (bench/pull-node.ts); a larger page still spills,
 *   it does not fail. It is per connection of the hub's pool, and only while a page is made.
 * - The rows are returned in the UNION ALL's order (the function's result keeps the order it was
 *   made in; the store's connections run no parallel plans): the facts line first, then the page's
 *   records by version, each ',' and the record's line (migration 16).
 * The parameters: the hub, whether the caller sees every office, else the offices and the one
 * facility it sees; the cursor's epoch and version, the mark of a marked cursor [S15] (its version
 * and the hub's clock in milliseconds) and the page's size.
 * Never edit it once shipped; a change to the page is a new migration replacing the function.
 */
export const sql = /* sql */ `
CREATE FUNCTION pull_page(p_tenant text, p_all boolean, p_offices text[], p_facility text,
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
         f AS (SELECT CASE WHEN e.changed OR d.diverged THEN 0 ELSE p_after END AS after FROM e, d),
         -- the page's versions (one past it: is there more?), without its payloads
         page AS (
           SELECT kind, entity_id, version, withdrawn, row_number() OVER (ORDER BY version) AS n FROM (
             SELECT r.kind, r.entity_id, r.version, r.withdrawn FROM records r
              WHERE r.tenant_id = p_tenant AND r.version > (SELECT after FROM f) AND (p_all OR r.office_id IS NULL OR r.office_id = ANY (p_offices))
                AND (p_facility IS NULL OR (r.kind = 'facility' AND r.entity_id = p_facility))
              ORDER BY r.version
              LIMIT p_limit + 1) AS p),
         m AS (SELECT (SELECT max(version) FROM page WHERE n <= p_limit) AS last)
    SELECT json_build_object(
             'epoch', e.epoch, 'floor', e.floor, 'epochChanged', e.changed, 'head', h.head, 'diverged', d.diverged,
             'mark', ceil(extract(epoch FROM now()) * 1000)::bigint,
             'divergedFloor', CASE WHEN d.diverged THEN least(h.marked, h.head, greatest(
               (SELECT max(version) FROM changes WHERE tenant_id = p_tenant AND received_at <= h.at),
               (SELECT max(version) FROM records WHERE tenant_id = p_tenant AND received_at <= h.at), 0)) END,
             'fetched', (SELECT count(*) FROM page),
             'last', m.last,
             'entries', (SELECT coalesce(json_agg(entity_id ORDER BY version), '[]') FROM page WHERE n <= p_limit AND kind = 'case-entry' AND NOT withdrawn),
             'openConflicts', (SELECT count(*) FROM conflicts c WHERE c.tenant_id = p_tenant AND c.resolved_at IS NULL AND (p_all OR c.office_id IS NULL OR c.office_id = ANY (p_offices))
                AND (p_facility IS NULL OR (c.kind = 'facility' AND c.entity_id = p_facility)))
           )::text
      FROM e, h, d, m
    UNION ALL
    -- the same rows as the page's first p_limit (same snapshot, same filter, up to its last version)
    (SELECT ',' || r.wire_json
       FROM records r
      WHERE r.tenant_id = p_tenant AND r.version > (SELECT after FROM f) AND r.version <= (SELECT last FROM m) AND (p_all OR r.office_id IS NULL OR r.office_id = ANY (p_offices))
                AND (p_facility IS NULL OR (r.kind = 'facility' AND r.entity_id = p_facility))
      ORDER BY r.version);
END
$$;
`;
