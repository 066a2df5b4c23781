/**
 * The attack suite (issue 12): what an attacker inside or outside a hub would try, each attack
 * asserting the safe outcome. Run against PostgreSQL and the embedded store like api-suite.ts;
 * each file prints how many attacks ran and how many held. Every attack starts its own server
 * over its own schema, with a clock it moves and a count of the credential checks it caused.
 */
import { afterAll, afterEach, describe, it } from 'vitest';
import type { ContractTarget } from '../store-contract';
import { startApi, type ApiHarness, type ApiHarnessOptions } from '../api-harness';

export interface AttackContext {
  /** A hub with a coordinator; `checks` counts the password (argon2) and TOTP checks it made. */
  hub(options?: ApiHarnessOptions): Promise<AttackHub>;
}

export interface AttackHub extends ApiHarness {
  readonly checks: { password: number; totp: number };
}

export type AttackGroup = (attack: (name: string, run: () => Promise<void>) => void, ctx: AttackContext) => void;

/** Runs the groups of attacks against one store, counting the attacks that ran and that held. */
export function attackSuite(name: string, target: ContractTarget, groups: Readonly<Record<string, AttackGroup>>): void {
  const tally = { ran: 0, held: 0 };
  const open: ApiHarness[] = [];
  afterEach(async () => {
    for (const api of open.splice(0)) await api.close();
  });
  afterAll(() => {
    console.log(`attacks on ${name}: ${tally.ran} ran, ${tally.held} held`);
  });
  const ctx: AttackContext = {
    async hub(options = {}) {
      const checks = { password: 0, totp: 0 };
      const onCheck = (kind: 'password' | 'totp') => {
        checks[kind]++;
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
