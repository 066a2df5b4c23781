/**
 * The hub side of the durability test (store-embedded.test.ts): opens the embedded store the way
 * `npm start` does, then pushes evidence entries one per push as fast as it can, printing
 * "ack <seq> <version> <hash>" only after the push was acknowledged. The test kills it with SIGKILL.
 * Usage: node --import tsx durability-child.ts <dataDir>
 */
import { openStoreFromEnv } from '../../src/server/db/open-store';
import { StoreError } from '../../src/server/db/store';
import { caseEntries, evidenceChange, seedHub } from './factories';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: durability-child.ts <dataDir>');
const store = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir });
const hub = await seedHub(store, 1).catch((e: unknown) => {
  if (e instanceof StoreError && e.code === 'exists') return { devices: [{ deviceId: 'device-1', userId: 'user-1' }] };
  throw e;
});
const { deviceId, userId } = hub.devices[0]!;
// One device, every push accepted: the device's last seq is the head version (the last push of a
// killed run may have committed without its ack being printed).
const head = (await store.health()).headVersion;
process.stdout.write(`ready ${head}\n`);
for (let seq = head + 1; ; seq++) {
  const [entry] = await caseEntries(`case-${process.pid}-${seq}`, 1);
  const [result] = await store.applyPush(deviceId, userId, [evidenceChange(seq, entry!)]);
  if (result?.status !== 'accepted') throw new Error(`push ${seq}: ${JSON.stringify(result)}`);
  process.stdout.write(`ack ${seq} ${result.version} ${entry!.id} ${entry!.hash}\n`);
}
