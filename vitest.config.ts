import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Domain rules must give the same answer whatever the device's zone (DOMAIN.md §5): the node unit
 * tests run in UTC whatever the machine’s zone (projects unit-pure and unit-node), and every domain test runs again
 * in America/Los_Angeles (behind Japan, with daylight saving) and in Pacific/Kiritimati (UTC+14: its
 * day starts before Japan's). Lint keeps the device's local calendar out of src/ (eslint.config.js);
 * these catch what reads it another way. (A UTC run of its own repeated unit-node's on a machine in
 * UTC, as CI's are: 41 files run twice for nothing.)
 */
const zoneSensitive = ['src/domain/**/*.test.ts'];

/**
 * The rules and the protocol are pure functions over values: no module keeps state between files but
 * memos of deterministic functions, so their files share one module cache per worker (isolate: false), which halves their time (importing
 * zod and the rules again for each of 51 files was most of it). Everything else keeps a fresh module
 * graph per file: the store, the vault and the screens hold state in their modules.
 */
const PURE = ['src/domain/**/*.test.ts', 'src/protocol/**/*.test.ts'];
const inZone = (name: string, tz: string) => ({
  extends: true as const,
  test: { name, include: zoneSensitive, environment: 'node' as const, env: { TZ: tz }, isolate: false },
});

/**
 * The component tests (.tsx) run in jsdom; so do the few plain tests that render a hook or use the
 * window's events. Setting up jsdom takes over a second a file, so every other test runs in node
 * (projects unit-pure and unit-node; `npm run test:unit` runs all three).
 */
const NEEDS_DOM = ['src/app/*.test.ts', 'src/sync/triggers.test.ts', 'src/sync/engine.test.ts'];

/**
 * Vitest's default on a 2-core machine is one worker: every file in turn. The browser and
 * PostgreSQL do their work in processes of their own, so two files at a time keep both cores busy.
 * The three groups run one after another (sequence.groupOrder): unit and zone tests, then the
 * browser tests, then the server's integration tests, two files at a time each.
 */
const workers = (name: string) => Number(process.env[name] ?? 2);
const UNIT_WORKERS = workers('UNIT_WORKERS');
const E2E_WORKERS = workers('E2E_WORKERS');
const INTEGRATION_WORKERS = workers('INTEGRATION_WORKERS');

export default defineConfig({
  plugins: [react()],
  // The build id the app shows (vite.config.ts puts in the real one): a fixed one, for the tests to find.
  define: { __APP_BUILD__: JSON.stringify('0.0.0 (test, 2000-01-01)') },
  test: {
    maxWorkers: UNIT_WORKERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.tsx', ...NEEDS_DOM],
          environment: 'jsdom',
          setupFiles: ['test/setup/unit.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: { name: 'unit-pure', include: PURE, environment: 'node', env: { TZ: 'UTC' }, isolate: false, testTimeout: 30_000 },
      },
      {
        // The vault, sync and the server's units draw nothing: no jsdom to set up per file.
        extends: true,
        test: {
          name: 'unit-node',
          include: ['src/**/*.test.ts'],
          exclude: [...NEEDS_DOM, ...PURE],
          environment: 'node',
          env: { TZ: 'UTC' },
          setupFiles: ['test/setup/unit-node.ts'],
          testTimeout: 30_000,
        },
      },
      inZone('tz-los-angeles', 'America/Los_Angeles'),
      inZone('tz-kiritimati', 'Pacific/Kiritimati'),
      {
        extends: true,
        test: {
          name: 'e2e',
          // A poll waits for the browser or the hub on a busy two-core machine, not for 1 s (the default).
          expect: { poll: { timeout: 30_000 } },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
          maxWorkers: E2E_WORKERS,
        },
      },
      {
        // The hub server's storage against real PostgreSQL and the embedded one (docs/hub-server.md).
        extends: true,
        test: {
          name: 'integration',
          // A poll waits for the browser or the hub on a busy two-core machine, not for 1 s (the default).
          expect: { poll: { timeout: 30_000 } },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
          maxWorkers: INTEGRATION_WORKERS,
        },
      },
    ],
  },
});
