/**
 * Builds the app once and serves dist/ on a free loopback port for every end-to-end test file,
 * through the same server `npm start` runs.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startServer } from '../../src/server/app-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const root = resolve(import.meta.dirname, '../..');
  if (process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
      // Vitest sets NODE_ENV=test, which would bundle React's development build: test what ships.
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  const server = await startServer({ port: 0, host: '127.0.0.1', distDir: resolve(root, 'dist') });
  const { port } = server.address() as AddressInfo;
  project.provide('baseUrl', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((done) => server.close(() => done()));
}
