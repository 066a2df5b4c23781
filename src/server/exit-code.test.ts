import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningKeyStore } from './db/countersign';
import { EmbeddedStartError } from './db/embedded-errors';
import { poolSizeFromEnv } from './db/open-store';
import { StoreError } from './db/store';
import { CONFIGURATION_EXIT_CODE, exitCodeFor } from './exit-code';
import { accountsConfigFromEnv } from './services/accounts';
import { generateHubKey, hubKeyFromEnv, newSigningKeyText, SigningKeyFileMissingError, SigningKeyMismatchError } from './services/hub-key';
import { SecretKeyError, sealSecret, secretKeyFromEnv } from './services/secret-box';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kyoten-exit-'));
  dirs.push(d);
  return d;
};

/** A database's signing-key table holding `stored`, its receipts signed with `signedWith`. */
function table(stored: string | null, signedWith: string | null = null): SigningKeyStore {
  return { signingKey: async (candidate) => stored ?? candidate, newestReceiptKey: async () => signedWith };
}

/** What a call threw (or the promise rejected with). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

const key32 = () => Buffer.alloc(32, 7).toString('base64');
const otherKey32 = () => Buffer.alloc(32, 9).toString('base64');
const URL = 'postgres://kyoten@/kyoten?host=/run/postgresql';

/** A real refused connection: a port that was free a moment ago. */
async function refusedConnection(): Promise<Error> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', (error) => done(error));
    socket.on('connect', () => {
      socket.destroy();
      done(new Error('the port answered'));
    });
  });
}

describe('the exit code of a start that fails (systemd: RestartPreventExitStatus=78)', () => {
  it('is 78 for a database migrated by a newer server', () => {
    expect(exitCodeFor(new StoreError('schema-too-new', 'newer'))).toBe(CONFIGURATION_EXIT_CODE);
    expect(CONFIGURATION_EXIT_CODE).toBe(78);
    // other store errors are not about the configuration
    expect(exitCodeFor(new StoreError('not-found', 'no user'))).toBe(1);
  });

  it('is 78 for a signing key other than the receipts\'', async () => {
    const error = await thrown(() => hubKeyFromEnv({ KYOTEN_SIGNING_KEY: newSigningKeyText(), DATABASE_URL: URL }, table(null, generateHubKey().fingerprint)));
    expect(error).toBeInstanceOf(SigningKeyMismatchError);
    expect(exitCodeFor(error)).toBe(CONFIGURATION_EXIT_CODE);
  });

  it('is 78 for a KYOTEN_SECRET_KEY that does not open the signing key kept in the database', async () => {
    const sealed = sealSecret(Buffer.from(key32(), 'base64'), newSigningKeyText(), 'hub-signing-key');
    const error = await thrown(() => hubKeyFromEnv({ DATABASE_URL: URL, KYOTEN_SECRET_KEY: otherKey32() }, table(sealed)));
    expect(error).toBeInstanceOf(SecretKeyError);
    expect(exitCodeFor(error)).toBe(CONFIGURATION_EXIT_CODE);
    // or none at all, where the key is sealed
    expect(exitCodeFor(await thrown(() => hubKeyFromEnv({ DATABASE_URL: URL }, table(sealed))))).toBe(CONFIGURATION_EXIT_CODE);
  });

  it('is 78 for an embedded data folder restored without its signing.key', async () => {
    const error = await thrown(() => hubKeyFromEnv({ KYOTEN_DATA_DIR: tempDir() }, table(null, generateHubKey().fingerprint)));
    expect(error).toBeInstanceOf(SigningKeyFileMissingError);
    expect((error as Error).message).toMatch(/signing\.key does not exist, but this hub's receipts are signed with the key/);
    expect(exitCodeFor(error)).toBe(CONFIGURATION_EXIT_CODE);
  });

  it('is 78 for a malformed KYOTEN_SIGNING_KEY, KYOTEN_SECRET_KEY, key file, DATABASE_POOL_SIZE or SESSION_* value', async () => {
    const faults = [
      await thrown(() => hubKeyFromEnv({ KYOTEN_SIGNING_KEY: 'not a key', DATABASE_URL: URL }, table(null))),
      await thrown(() => accountsConfigFromEnv({ KYOTEN_SECRET_KEY: 'c2hvcnQ=', DATABASE_URL: URL })),
      await thrown(() => {
        const dir = tempDir();
        writeFileSync(join(dir, 'secret.key'), 'c2hvcnQ=\n');
        return accountsConfigFromEnv({ KYOTEN_DATA_DIR: dir });
      }),
      await thrown(() => {
        const dir = tempDir();
        writeFileSync(join(dir, 'signing.key'), 'not a key\n');
        return hubKeyFromEnv({ KYOTEN_DATA_DIR: dir }, table(null));
      }),
      await thrown(() => poolSizeFromEnv({ DATABASE_POOL_SIZE: '0', DATABASE_URL: URL })),
      await thrown(() => poolSizeFromEnv({ DATABASE_POOL_SIZE: 'ten' })),
      await thrown(() => accountsConfigFromEnv({ SESSION_IDLE_MINUTES: '0', DATABASE_URL: URL })),
      await thrown(() => accountsConfigFromEnv({ SESSION_MAX_HOURS: 'twelve', DATABASE_URL: URL })),
    ];
    expect(faults.map((error) => [(error as Error).message, exitCodeFor(error)])).toEqual(
      faults.map((error) => [(error as Error).message, CONFIGURATION_EXIT_CODE]),
    );
  });

  it('is 1 for a database that refuses connections or is still starting: systemd tries again', async () => {
    const refused = await refusedConnection();
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(exitCodeFor(refused)).toBe(1);
    expect(exitCodeFor(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(1);
    // PostgreSQL recovering after a power cut: "the database system is starting up" (57P03)
    expect(exitCodeFor(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(1);
    // the embedded PostgreSQL not starting, the port in use
    expect(exitCodeFor(new EmbeddedStartError('start', 'The embedded PostgreSQL cannot start'))).toBe(1);
    expect(exitCodeFor(Object.assign(new Error('listen EADDRINUSE: address already in use'), { code: 'EADDRINUSE', syscall: 'listen' }))).toBe(1);
  });

  it('is 1 for any RangeError but a setting\'s (Node\'s own, V8\'s out of memory), and for anything not an Error', () => {
    expect(exitCodeFor(Object.assign(new RangeError('out of range'), { code: 'ERR_OUT_OF_RANGE' }))).toBe(1);
    expect(exitCodeFor(new RangeError('Array buffer allocation failed'))).toBe(1);
    expect(exitCodeFor('stopped')).toBe(1);
    expect(exitCodeFor(undefined)).toBe(1);
  });

  it('is 1 for a key file another process is writing this instant (found empty), which the next start reads whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoten-exit-'));
    try {
      writeFileSync(join(dir, 'secret.key'), '');
      let thrown: unknown;
      try {
        secretKeyFromEnv({ KYOTEN_DATA_DIR: dir });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(exitCodeFor(thrown)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
