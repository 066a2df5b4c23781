/**
 * Taking a person off a shared phone (Session.removeUser): a coordinator who leaves must not keep
 * the means to unlock the hub phone offline, and what they made must not go with them.
 */
import { describe, expect, it } from 'vitest';
import { personalDraftKey } from './drafts';
import type { HubLink } from './types';
import { createSampleRecord, createTestVault, newId, OTHER_PASSPHRASE, PASSPHRASE, STAFF_NAME } from './testing';

const JIRO = '当番 次郎';
const THIRD = 'よる-の-当番-2026';

/** Hanako sets the phone up and adds Jiro, who unlocks once, saves a sign-in, a draft and a change. */
async function phoneWithJiro() {
  const test = createTestVault();
  const { vault, clock } = test;
  const hanako = await vault.setUp(STAFF_NAME, PASSPHRASE);
  const jiro = await hanako.addUser(PASSPHRASE, JIRO, OTHER_PASSPHRASE);
  await hanako.saveDraft(personalDraftKey('household:new', hanako.user.id), { name: '花子の入力途中' });
  await hanako.saveDraft('household:new', { name: '共有の下書き' });
  hanako.lock();
  clock.advance(60_000);
  const asJiro = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
  await asJiro.sync.saveUserToken('token-of-jiro-0123456789abcdefghijklmnopqr');
  await asJiro.saveDraft(personalDraftKey('household:new', jiro.id), { name: '次郎の入力途中' });
  await asJiro.saveDraft(personalDraftKey('case-start:hh_1:p_1', jiro.id), { note: '次郎のメモ' });
  await asJiro.put('household', 'hh_jiro', createSampleRecord({ name: '次郎が登録した世帯' }), 'create');
  asJiro.lock();
  return { ...test, hanako, jiro };
}

/** The phone joined to a hub, Jiro signed in on it (A8): the hub takes his changes from it. */
function linkWithJiro(jiroId: string): HubLink {
  const member = { userId: 'hub-user-jiro', loginName: 'jiro', displayName: JIRO, role: 'coordinator' as const, signedOut: false };
  return {
    hub: 'aozora',
    loginName: 'hanako',
    userId: 'hub-user-hanako',
    displayName: STAFF_NAME,
    role: 'coordinator',
    members: { [jiroId]: member },
    deviceSecret: 'device-secret-0123456789',
    cursor: 0,
    scope: null,
    lastSyncAt: null,
    openConflicts: 0,
    signedOut: false,
  };
}

describe('removing a person from the phone', () => {
  it('they can no longer unlock; their slot, sign-in, throttle and personal drafts go; the removal names them in the 閲覧記録', async () => {
    const { db, vault, clock, hanako, jiro } = await phoneWithJiro();
    // A mistyped attempt on Jiro's slot: its row goes with him (the attempt itself is written first).
    await expect(vault.unlock(jiro.id, 'not-jiros-passphrase')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    const session = await vault.unlock(hanako.user.id, PASSPHRASE);
    await session.sync.saveHubLink(linkWithJiro(jiro.id));
    clock.advance(60_000);

    const removed = await session.removeUser(PASSPHRASE, jiro.id);

    expect(removed).toEqual(jiro);
    expect((await vault.listUsers()).map((u) => u.displayName)).toEqual([STAFF_NAME]);
    await expect(vault.unlock(jiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unknown-user' });
    expect(await db.keySlots.get(jiro.id)).toBeUndefined();
    expect((await db.userSecrets.toArray()).filter((r) => r.userId === jiro.id)).toEqual([]);
    expect(await db.throttles.get(jiro.id)).toBeUndefined();
    expect((await db.drafts.toCollection().primaryKeys()).sort()).toEqual(['household:new', personalDraftKey('household:new', hanako.user.id)].sort());

    const log = await session.accessLog();
    const entry = log.find((e) => e.action === 'remove-user');
    expect(entry).toMatchObject({ userId: hanako.user.id, userName: STAFF_NAME, reason: `${JIRO}（${jiro.id}）`, at: new Date(clock.now()).toISOString() });
    // queued for the hub like every access entry
    expect((await session.outbox()).some((e) => e.kind === 'access' && e.entityId === entry!.id)).toBe(true);
  });

  it('keeps their unsent changes queued under their name, and their place in the hub link, so they are sent as before', async () => {
    const { vault, hanako, jiro } = await phoneWithJiro();
    const session = await vault.unlock(hanako.user.id, PASSPHRASE);
    const link = linkWithJiro(jiro.id);
    await session.sync.saveHubLink(link);
    const before = (await session.outbox()).filter((e) => e.userId === jiro.id);
    expect(before.map((e) => [e.kind, e.entityId])).toEqual(expect.arrayContaining([['household', 'hh_jiro']]));

    await session.removeUser(PASSPHRASE, jiro.id);

    expect((await session.outbox()).filter((e) => e.userId === jiro.id)).toEqual(before);
    expect((await session.sync.queueCounts()).pending).toBeGreaterThanOrEqual(before.length);
    expect((await session.sync.hubLink())?.members?.[jiro.id]).toEqual(link.members?.[jiro.id]);
    expect((await session.get('household', 'hh_jiro'))?.data).toMatchObject({ name: '次郎が登録した世帯' });
  });

  it('asks for the remover’s own passphrase through the unlock throttle, and refuses themselves and the last person', async () => {
    const { db, vault, clock } = createTestVault();
    const hanako = await vault.setUp(STAFF_NAME, PASSPHRASE);
    await expect(hanako.removeUser(PASSPHRASE, hanako.user.id)).rejects.toMatchObject({ code: 'last-user' });
    const jiro = await hanako.addUser(PASSPHRASE, JIRO, OTHER_PASSPHRASE);
    await expect(hanako.removeUser(PASSPHRASE, hanako.user.id)).rejects.toMatchObject({ code: 'remove-self' });
    await expect(hanako.removeUser(PASSPHRASE, newId())).rejects.toMatchObject({ code: 'unknown-user' });
    // none of those cost an attempt
    expect(await vault.throttle(hanako.user.id)).toEqual({ failures: 0, retryAt: null });

    for (let i = 0; i < 3; i += 1) await expect(hanako.removeUser(THIRD, jiro.id)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await expect(hanako.removeUser(PASSPHRASE, jiro.id)).rejects.toMatchObject({ code: 'throttled' });
    expect(await db.keySlots.get(jiro.id)).toBeDefined();
    expect((await hanako.accessLog()).some((e) => e.action === 'remove-user')).toBe(false);

    clock.advance(5_000);
    await hanako.removeUser(PASSPHRASE, jiro.id);
    expect((await vault.listUsers()).map((u) => u.id)).toEqual([hanako.user.id]);
    // the three wrong re-entries are in the 閲覧記録 too, written once the right one was given
    expect((await hanako.accessLog()).filter((e) => e.action === 'unlock-failed')).toHaveLength(3);
    hanako.lock();
    await expect(hanako.removeUser(PASSPHRASE, jiro.id)).rejects.toMatchObject({ code: 'locked' });
  });

  it('refuses a person whose unsent changes nobody could send: they never signed in to the hub on this phone', async () => {
    const { vault, hanako, jiro } = await phoneWithJiro();
    const session = await vault.unlock(hanako.user.id, PASSPHRASE);
    await expect(session.removeUser(PASSPHRASE, jiro.id)).rejects.toMatchObject({ code: 'remove-unsent' });
    await session.sync.saveHubLink({ ...linkWithJiro(jiro.id), members: {} });
    await expect(session.removeUser(PASSPHRASE, jiro.id)).rejects.toMatchObject({ code: 'remove-unsent' });
    expect((await vault.listUsers()).map((u) => u.displayName)).toEqual([STAFF_NAME, JIRO]);
    // signed out of this phone (his sign-in revoked), his changes wait for a sign-in as much
    await session.sync.saveHubLink({ ...linkWithJiro(jiro.id), members: { [jiro.id]: { ...linkWithJiro(jiro.id).members![jiro.id]!, signedOut: true } } });
    await expect(session.removeUser(PASSPHRASE, jiro.id)).rejects.toMatchObject({ code: 'remove-unsent' });
    // once he has signed in here, his changes can go: he may be removed
    await session.sync.saveHubLink(linkWithJiro(jiro.id));
    await session.removeUser(PASSPHRASE, jiro.id);
    expect((await vault.listUsers()).map((u) => u.displayName)).toEqual([STAFF_NAME]);
  });

  it('[A10] the hub stopped him: he goes with no passphrase asked, his queued changes stay to be sent under his name; the one unlocked goes too, last; never the last person', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    const session = await vault.unlock(hanako.user.id, PASSPHRASE);
    const link = linkWithJiro(jiro.id);
    const asHanako = { ...link.members![jiro.id]!, userId: 'hub-user-hanako', displayName: STAFF_NAME };
    await session.sync.saveHubLink({ ...link, members: { ...link.members, [hanako.user.id]: asHanako } });
    const waiting = (await session.outbox()).filter((e) => e.userId === jiro.id);
    expect(waiting.length).toBeGreaterThan(0);

    const told: string[] = [];
    expect(await session.sync.removeStopped(['hub-user-jiro', 'hub-user-other'], (u) => told.push(u.id))).toEqual([jiro]);
    expect(told).toEqual([jiro.id]);
    await expect(vault.unlock(jiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unknown-user' });
    expect((await db.userSecrets.toArray()).filter((r) => r.userId === jiro.id)).toEqual([]);
    expect((await db.drafts.toCollection().primaryKeys()).filter((k) => k.endsWith(`:${jiro.id}`))).toEqual([]);
    expect((await session.accessLog()).find((e) => e.action === 'remove-user')).toMatchObject({ userName: STAFF_NAME, reason: `${JIRO}（${jiro.id}）：拠点で利用停止` });
    // his changes stay queued, and his place in the link credits them to him on the hub
    expect((await session.outbox()).filter((e) => e.userId === jiro.id)).toEqual(waiting);
    expect((await session.sync.hubLink())?.members?.[jiro.id]?.userId).toBe('hub-user-jiro');

    // the one unlocked, stopped too, is never taken off as the last person on the phone
    expect(await session.sync.removeStopped(['hub-user-jiro', 'hub-user-hanako'])).toEqual([]);
    expect((await vault.listUsers()).map((u) => u.displayName)).toEqual([STAFF_NAME]);
    // with someone else left, she goes, after the others
    const saburo = await session.addUser(PASSPHRASE, '三郎', THIRD);
    expect((await session.sync.removeStopped(['hub-user-hanako'])).map((u) => u.id)).toEqual([hanako.user.id]);
    expect((await vault.listUsers()).map((u) => u.id)).toEqual([saburo.id]);
  });
});
