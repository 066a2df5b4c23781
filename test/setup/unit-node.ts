/** The unit tests that draw nothing (vitest.config.ts, project unit-node): IndexedDB for the vault, in memory. */
import 'fake-indexeddb/auto';
import './wait-for';
