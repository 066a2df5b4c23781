/** `npm start` / `npm run serve`: serves dist/ on PORT (default 8080). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from './app-server';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const distDir = resolve(process.env.DIST_DIR ?? 'dist');

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), got "${process.env.PORT}"`);
  process.exit(1);
}
if (!existsSync(resolve(distDir, 'index.html'))) {
  console.error(`No built app in ${distDir}. Run "npm run build" first (npm start does this for you).`);
  process.exit(1);
}

const server = await startServer({ port, host, distDir });
const address = server.address();
const shownPort = typeof address === 'object' && address ? address.port : port;
console.log(`拠点ナビ is running: http://localhost:${shownPort}/  (PORT=${shownPort})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
