/**
 * The sync benchmark's peer (bench/sync-peer.ts) is a real CouchDB-style server: a PouchDB client
 * replicates every seeded document down from it and its edits back up. The bench runs outside CI,
 * so a dependency that breaks the peer shows here first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncFixture } from '../../bench/sync-fixture';
import { memoryPouchClass, startPeerServer, type PeerServer } from '../../bench/sync-peer';

describe('bench: the PouchDB peer server', () => {
  let server: PeerServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('hands a fresh client every seeded document, and takes its offline edits', async () => {
    const fixture = syncFixture(new Date('2026-11-30T12:00:00.000Z'), { households: 60, facilities: 6, edits: 6 });
    server = await startPeerServer(fixture);
    const PouchDB = memoryPouchClass();
    const remote = new PouchDB(`${server.origin}/${server.name}`, { adapter: 'http' });
    const local = new PouchDB(`bench-peer-test-${Date.now()}`);
    try {
      const down = await PouchDB.replicate(remote, local);
      expect(down.docs_written).toBe(66);
      const household = await local.get(`household:${fixture.edits[0]!.id}`);
      expect(household['kind']).toBe('household');

      for (const e of fixture.edits) {
        const doc = await local.get(`household:${e.id}`);
        await local.put({ ...doc, note: e.note, updatedAt: e.updatedAt });
      }
      const up = await PouchDB.replicate(local, remote);
      expect(up.docs_written).toBe(fixture.edits.length);
      const held = await server.db.allDocs({ keys: fixture.edits.map((e) => `household:${e.id}`), include_docs: true });
      expect(held.rows.map((r) => r.doc?.note)).toEqual(fixture.edits.map((e) => e.note));
    } finally {
      await local.destroy();
    }
  });
});
