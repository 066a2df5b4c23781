/**
 * The attack suite (issue 12): what an attacker inside or outside a hub would try, each attack
 * asserting the safe outcome. Run against PostgreSQL and the embedded store like api-suite.ts;
 * each file prints how many attacks ran and how many held. Every attack starts its own server
 * over its own schema, with a clock it moves and a count of the credential checks it caused.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, it } from 'vitest';
import type { ContractTarget } from '../store-contract';
import { startApi, type ApiHarness, type ApiHarnessOptions } from '../api-harness';

export interface AttackContext {
  /** A hub; `checks` counts the password (argon2) and TOTP checks it made. */
  hub(options?: ApiHarnessOptions): Promise<AttackHub>;
  /** SQLSTATEs of the statements PostgreSQL refused since the attack began (each one is in its log) */
  readonly dbErrors: () => readonly string[];
  /** what the server process wrote to its log (console, stderr) since the attack began */
  readonly serverLog: () => string;
  /** what PostgreSQL wrote to its own log since the attack began, when the test can read it */
  readonly postgresLog: () => string | null;
}

export interface AttackHub extends ApiHarness {
  /** checks made, and argon2 checks running now and at most at once */
  readonly checks: { password: number; totp: number; inFlight: number; peakInFlight: number };
}

export type AttackGroup = (attack: (name: string, run: () => Promise<void>) => void, ctx: AttackContext) => void;

/** Runs the groups of attacks against one store, counting the attacks that ran and that held. */
export function attackSuite(
  name: string,
  target: ContractTarget,
  groups: Readonly<Record<string, AttackGroup>>,
  postgresLogPath?: () => string | undefined,
): void {
  const tally = { ran: 0, held: 0 };
  const watch = watchProcess();
  const logAt = { path: undefined as string | undefined, offset: 0 };
  beforeEach(() => {
    watch.reset();
    logAt.path = postgresLogPath?.();
    logAt.offset = logAt.path !== undefined && existsSync(logAt.path) ? statSync(logAt.path).size : 0;
  });
  const open: ApiHarness[] = [];
  afterEach(async () => {
    for (const api of open.splice(0)) await api.close();
  });
  afterAll(() => {
    console.log(`attacks on ${name}: ${tally.ran} ran, ${tally.held} held`);
  });
  const ctx: AttackContext = {
    dbErrors: () => [...watch.dbErrors],
    serverLog: () => watch.log.join(''),
    postgresLog: () => {
      if (logAt.path === undefined || !existsSync(logAt.path)) return null;
      return readFileSync(logAt.path).subarray(logAt.offset).toString('utf8');
    },
    async hub(options = {}) {
      const checks = { password: 0, totp: 0, inFlight: 0, peakInFlight: 0 };
      const onCheck = (kind: 'password' | 'totp') => {
        checks[kind]++;
        if (kind !== 'password') return;
        checks.inFlight++;
        checks.peakInFlight = Math.max(checks.peakInFlight, checks.inFlight);
        return () => {
          checks.inFlight--;
        };
      };
      const api = await startApi(target, { ...options, accounts: { onCheck, ...options.accounts } });
      open.push(api);
      return Object.assign(api, { checks });
    },
  };
  const attack = (title: string, run: () => Promise<void>) =>
    it(title, async () => {
      tally.ran++;
      await run();
      tally.held++;
    });
  describe(`attacks: ${name}`, () => {
    for (const [group, define] of Object.entries(groups)) describe(group, () => define(attack, ctx));
  });
}

/**
 * Watches this process (the server runs in it): every statement PostgreSQL refuses, by SQLSTATE,
 * and everything written to the console or stderr. The pool's clients are pg.Client, so one patch
 * of its prototype sees every query of the store.
 */
function watchProcess() {
  const state = { dbErrors: [] as string[], log: [] as string[], reset() {
    state.dbErrors.length = 0;
    state.log.length = 0;
  } };
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __watched?: boolean };
  if (proto.__watched !== true) {
    const query = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const result = query.apply(this, args);
      if (result instanceof Promise) {
        result.then(undefined, (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          if (typeof code === 'string') state.dbErrors.push(code);
        });
      }
      return result;
    };
    proto.__watched = true;
  }
  for (const level of ['log', 'warn', 'error', 'info'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      state.log.push(`${args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ')}\n`);
      original(...args);
    };
  }
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    state.log.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return state;
}
