import { vi } from 'vitest';

// vi.waitFor gives up after 1 s by default, as findBy* did (unit.ts). The tests wait on real
// WebCrypto, Dexie and BroadcastChannel, which on a busy two-core machine can take longer: the
// same 10 s as the screens' waits, unless a test names its own limit.
const waitFor = vi.waitFor;
vi.waitFor = ((callback, options) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 10_000, ...options })) as typeof vi.waitFor;
