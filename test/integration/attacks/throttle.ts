/** Sign-in throttling under attack: guesses sent at once are counted like guesses sent one by one [A4]. */
import { expect } from 'vitest';
import { API, type ErrorResponse } from '../../../src/protocol/sync';
import { totpCode } from '../../../src/server/services/credentials';
import { MAX_SIGN_IN_FAILURES, SIGN_IN_CHECKS_IN_FLIGHT } from '../../../src/server/services/accounts';
import { DeviceClient, HUB, PASSWORD, type Answer } from '../api-harness';
import type { AttackGroup } from './attack-suite';

/** An answer's body but for its request id, which is each answer's own (random: it tells nothing apart). */
const withoutRequestId = (body: unknown): unknown => ({ ...(body as Record<string, unknown>), requestId: undefined });

/** A gate wide enough that only the database's reservation stands between a burst and the checks. */
const WIDE = { accounts: { maxSignInChecks: 1000, maxSignInsWaiting: 1000 } };

const tally = (answers: readonly Answer[]) => {
  const by: Record<number, number> = {};
  for (const a of answers) by[a.status] = (by[a.status] ?? 0) + 1;
  return by;
};

export const throttleAttacks: AttackGroup = (attack, ctx) => {
  attack('[A4] 200 wrong passwords on one login at once: 5 are checked, the rest 429, and the right one is then locked out', async () => {
    const hub = await ctx.hub(WIDE);
    const coord = await hub.user('coord1', 'coordinator');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => new DeviceClient(hub, `d${i}`).signIn(coord, { password: `guess-${i}-xxxxxx` })),
    );
    expect(hub.checks.password).toBe(5);
    expect(tally(answers)).toEqual({ 401: 5, 429: 195 });
    const right = await new DeviceClient(hub, 'p').signIn(coord);
    expect(right.status).toBe(429);
    expect(hub.checks.password).toBe(5);
  });

  attack('[A4] sign-ins naming the address throttle as their hub, with this address as the login, do not lock the address out', async () => {
    const hub = await ctx.hub(WIDE);
    const coord = await hub.user('coord1', 'coordinator');
    // the old marker of the address rows, for each form loopback takes
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) {
      for (let i = 0; i < MAX_SIGN_IN_FAILURES; i++) {
        const answer = await new DeviceClient(hub, `x${i}`).request('POST', API.session, { hub: '(address)', loginName: address, password: 'natsu-2026-xx', totp: '123456' });
        expect(answer.status).toBe(401);
      }
    }
    // 15 failures from this address, under its allowance of 20: a colleague signs in
    const right = await new DeviceClient(hub, 'p').signIn(coord);
    expect(right.status).toBe(200);
    // and a hub id that cannot be one is refused as input, without touching any allowance
    const empty = await new DeviceClient(hub, 'e').request('POST', API.session, { hub: '', loginName: '127.0.0.1', password: 'natsu-2026-xx', totp: '123456' });
    expect(empty.status).toBe(400);
  });

  attack('[A4] 300 logins sprayed at once from one address: 20 are checked', async () => {
    const hub = await ctx.hub(WIDE);
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        new DeviceClient(hub, `d${i}`).request('POST', API.session, { hub: HUB, loginName: `spray-${i}`, password: 'natsu-2026-xx', totp: '123456' }),
      ),
    );
    expect(hub.checks.password).toBe(20);
    expect(tally(answers)).toEqual({ 401: 20, 429: 280 });
  });

  attack('[A4] 1,000 TOTP guesses at once with the right password, the right code among them: at most 5 codes checked', async () => {
    const hub = await ctx.hub(WIDE);
    const coord = await hub.user('coord1', 'coordinator');
    const right = totpCode(coord.totpSecret, hub.clock.now);
    const guesses = Array.from({ length: 1000 }, (_, i) => String((Number(right) + 1 + i * 997) % 1_000_000).padStart(6, '0'));
    guesses[500] = right;
    const answers = await Promise.all(guesses.map((totp, i) => new DeviceClient(hub, `d${i}`).signIn(coord, { totp })));
    expect(hub.checks.totp).toBeLessThanOrEqual(5);
    expect(hub.checks.password).toBeLessThanOrEqual(5);
    const statuses = tally(answers);
    expect((statuses[401] ?? 0) + (statuses[200] ?? 0)).toBe(5);
    expect(statuses[429]).toBe(995);
    // once the burst is over the login is locked, even with the next step's right code
    const next = await new DeviceClient(hub, 'p').signIn(coord, { totp: totpCode(coord.totpSecret, new Date(hub.clock.now.getTime() + 30_000)) });
    expect(next.status).toBe(429);
  });

  attack('[A4] 300 sign-ins at once on different logins and addresses: at most a few argon2 checks in flight, the rest 503 with Retry-After', async () => {
    const hub = await ctx.hub({ trustProxy: true });
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        new DeviceClient(hub, `d${i}`).request<ErrorResponse>(
          'POST',
          API.session,
          { hub: HUB, loginName: `user-${i}`, password: 'natsu-2026-xx', totp: '123456' },
          { 'x-forwarded-for': `198.51.100.${i % 250}, 10.0.${i}.1` },
        ),
      ),
    );
    const statuses = tally(answers);
    expect(Object.keys(statuses).sort()).toEqual(['401', '503']);
    // at most SIGN_IN_CHECKS_IN_FLIGHT argon2 checks ran at once; most of the burst was turned away at once
    expect(hub.checks.peakInFlight).toBe(SIGN_IN_CHECKS_IN_FLIGHT);
    expect(statuses[503]).toBeGreaterThan(300 / 2);
    for (const busy of answers.filter((a) => a.status === 503)) {
      expect(busy.body.error).toBe('unavailable');
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(hub.checks.password).toBe(statuses[401]);
  });

  attack('[A4] failures count for 24 h from the first: a wrong password every hour, which kept a login at its hour-long lock for ever, leaves its owner’s typo the next day unlocked', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const colleague = await hub.user('coord2', 'coordinator');
    const phone = new DeviceClient(hub, 'p');
    // One guess as each lock ends: the 5th locks, the 12th for the hour, every later one renews it.
    for (let hour = 0; hour < 23; hour++) {
      expect((await phone.signIn(coord, { password: `guess-${hour}-xxxxxx` })).status).toBe(401);
      hub.clock.advance(3_600_000 + 1_000);
    }
    // A colleague signs in before the day is over (lapsed counts were looked for then, none found)…
    expect((await new DeviceClient(hub, 'q').signIn(colleague)).status).toBe(200);
    // …and less than an hour later, a day after the first guess, the count has started over: the
    // owner's typo is its first failure, not the one that renews the hour's lock.
    hub.clock.advance(3_600_000 - 23_000 + 1_000);
    expect((await phone.signIn(coord, { password: 'typo-yoru-no-denwa' })).status).toBe(401);
    expect((await phone.signIn(coord)).status).toBe(200);
  });

  attack('[A4] what was typed at a failed sign-in is removed once its count’s day is over: a password typed in the name field is not kept', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = new DeviceClient(hub, 'p');
    const typed = async () => (await hub.raw.query<{ login_name: string }>('SELECT login_name FROM login_throttle')).rows.map((r) => r.login_name);
    expect((await phone.signIn(coord, { loginName: PASSWORD })).status).toBe(401);
    hub.clock.advance(23 * 3_600_000);
    // Within its day it is kept (it counts); a sign-in then does not remove it.
    expect((await phone.signIn(coord)).status).toBe(200);
    expect(await typed()).toContain(PASSWORD);
    hub.clock.advance(3_600_000 + 1_000);
    expect((await phone.signIn(coord)).status).toBe(200);
    expect(await typed()).not.toContain(PASSWORD);
  });

  attack('[A3] an unknown login and a known one with a wrong password get the same answer, and lock alike', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = new DeviceClient(hub, 'p');
    const known = await phone.signIn(coord, { password: 'wrong-password-1' });
    const unknown = await phone.signIn(coord, { loginName: 'nobody-here' });
    const disabledUser = await hub.user('gone', 'coordinator');
    await hub.accounts.disableUser(disabledUser.id);
    const disabled = await phone.signIn(disabledUser);
    for (const a of [unknown, disabled]) {
      expect(a.status).toBe(known.status);
      expect(withoutRequestId(a.body)).toEqual(withoutRequestId(known.body));
    }
    // both made one argon2 check: the timing does not tell them apart by work done
    expect(hub.checks.password).toBe(3);
    for (let i = 0; i < 4; i++) await phone.signIn(coord, { loginName: 'nobody-here' });
    for (let i = 0; i < 4; i++) await phone.signIn(coord, { password: `wrong-${i}-xxxxxx` });
    const lockedUnknown = await phone.signIn(coord, { loginName: 'nobody-here' });
    const lockedKnown = await phone.signIn(coord);
    expect(withoutRequestId(lockedUnknown.body)).toEqual(withoutRequestId(lockedKnown.body));
    expect(lockedKnown.status).toBe(429);
  });

  attack('[A4] a success gives back its address attempt: an office signing in all day is never locked out by its own successes', async () => {
    const hub = await ctx.hub();
    const users = await Promise.all(Array.from({ length: 25 }, (_, i) => hub.user(`staff${i}`, 'coordinator')));
    for (const u of users) expect((await new DeviceClient(hub, u.id).signIn(u)).status).toBe(200);
    expect(hub.checks.password).toBe(25);
  });

  attack('[A3] a TOTP code seen over a shoulder cannot be replayed, even in parallel with its owner', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const code = totpCode(coord.totpSecret, hub.clock.now);
    const answers = await Promise.all([0, 1, 2].map((i) => new DeviceClient(hub, `d${i}`).signIn(coord, { totp: code, password: PASSWORD })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  });
};
