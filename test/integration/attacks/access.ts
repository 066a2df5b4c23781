/** Auth, sessions, forged ids and scope under attack: each asserts the safe outcome [A3][A5][A7][S10]. */
import { expect } from 'vitest';
import { API, type ErrorResponse, type PullResponse } from '../../../src/protocol/sync';
import { totpCode } from '../../../src/server/services/credentials';
import { openBody } from '../../factories/emergency-case';
import { accessWire, DeviceClient, entryWire, facilityPayload, householdWire, HUB, PASSWORD, wireChange, type ApiHarness, type TestUser } from '../api-harness';
import type { AttackGroup } from './attack-suite';

const MINUTE = 60_000;
const subject = (householdId: string) => ({ subject: { householdId, personId: null, name: '佐藤 花子', recipientNumber: '' } });

async function hubWithOffices(hub: ApiHarness) {
  const coord = await hub.user('coord1', 'coordinator');
  const lead = await new DeviceClient(hub, 'coord-phone').join(coord);
  await lead.push([householdWire('hh-a', { officeId: 'office-a' }), householdWire('hh-b', { officeId: 'office-b', note: '事業所Bの世帯' })]);
  const caseB = await lead.caseEntries('case-b', [openBody(subject('hh-b'))]);
  await lead.push([entryWire(caseB[0]!)]);
  const workerA = await hub.user('worker-a', 'case-worker', { officeId: 'office-a' });
  const tablet = await new DeviceClient(hub, 'worker-tablet').join(workerA);
  return { coord, lead, workerA, tablet, caseB };
}

const reasons = (results: readonly { status: string; reason?: string }[]) => results.map((r) => (r.status === 'refused' ? r.reason : r.status));

export const accessAttacks: AttackGroup = (attack, ctx) => {
  attack('[A7] every API route without credentials: 401 or 403, and no data in the answer', async () => {
    const hub = await ctx.hub();
    const { lead } = await hubWithOffices(hub);
    const nobody = new DeviceClient(hub, 'nobody');
    const routes: [string, string, unknown][] = [
      ['GET', API.session, undefined],
      ['POST', API.devices, { deviceId: 'x', name: 'x' }],
      ['POST', API.push, { changes: [{ ...householdWire('hh-x'), seq: 1 }] }],
      ['GET', `${API.pull}?cursor=0`, undefined],
      ['GET', API.conflicts, undefined],
      ['POST', '/api/conflicts/c-1/resolve', { choice: 'kept' }],
      ['POST', API.retirePush, { changes: [{ ...householdWire('hh-x'), seq: 1 }] }],
      ['POST', API.retireDone, { refused: 0 }],
    ];
    for (const [method, path, body] of routes) {
      const answer = await nobody.request<ErrorResponse>(method, path, body);
      expect([401, 403], `${method} ${path}`).toContain(answer.status);
      expect(JSON.stringify(answer.body)).not.toContain('hh-a');
    }
    expect((await lead.pullAll()).length).toBe(3);
  });

  attack('[A5] a forged session cookie (right shape, random) and a signed-out one are refused', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = await new DeviceClient(hub, 'p').join(coord);
    const real = phone.cookie!;
    phone.cookie = `kyoten_session=${'A'.repeat(43)}`;
    expect((await phone.request('GET', API.session)).status).toBe(401);
    expect((await phone.pull(0)).status).toBe(401);
    phone.cookie = real;
    expect((await phone.request('DELETE', API.session)).status).toBe(204);
    phone.cookie = real;
    expect((await phone.request('GET', API.session)).status).toBe(401);
    expect((await phone.push([householdWire('hh-1')])).status).toBe(401);
  });

  attack('[A5] an idle session stays ended even if the clock is set back; an absolute expiry cannot be slid past', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = await new DeviceClient(hub, 'p').join(coord);
    hub.clock.advance(31 * MINUTE);
    expect((await phone.request('GET', API.session)).status).toBe(401);
    hub.clock.advance(-31 * MINUTE);
    expect((await phone.request('GET', API.session)).status).toBe(401);
    const other = await new DeviceClient(hub, 'q').join(await hub.user('coord2', 'coordinator'));
    for (let i = 0; i < 25; i++) {
      hub.clock.advance(29 * MINUTE);
      await other.request('GET', API.session);
    }
    expect((await other.request('GET', API.session)).status).toBe(401);
  });

  attack('[A7] a disabled user is out at once: their live session and their device both refused', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = await new DeviceClient(hub, 'p').join(coord);
    await hub.accounts.disableUser(coord.id);
    expect((await phone.request('GET', API.session)).status).toBe(401);
    expect((await phone.pull(0)).status).toBe(410);
    expect((await new DeviceClient(hub, 'p2').signIn(coord, { totp: totpCode(coord.totpSecret, new Date(hub.clock.now.getTime() + 30_000)) })).status).toBe(401);
  });

  attack("[A7] a session with another user's device (its valid secret) is refused, and so is a device's secret on another device id", async () => {
    const hub = await ctx.hub();
    const mine = await new DeviceClient(hub, 'mine').join(await hub.user('coord1', 'coordinator'));
    const theirs = await new DeviceClient(hub, 'theirs').join(await hub.user('coord2', 'coordinator'));
    const borrowed = await mine.request<ErrorResponse>('GET', `${API.pull}?cursor=0`, undefined, { 'x-kyoten-device': 'theirs', 'x-kyoten-device-secret': theirs.secret! });
    expect(borrowed.status).toBe(403);
    const swapped = await mine.request<ErrorResponse>('GET', `${API.pull}?cursor=0`, undefined, { 'x-kyoten-device-secret': theirs.secret! });
    expect(swapped.status).toBe(403);
  });

  attack('[A7] a device secret alone (no session) neither pushes nor pulls', async () => {
    const hub = await ctx.hub();
    const phone = await new DeviceClient(hub, 'p').join(await hub.user('coord1', 'coordinator'));
    phone.cookie = undefined;
    expect((await phone.pull(0)).status).toBe(401);
    expect((await phone.push([householdWire('hh-1')])).status).toBe(401);
    expect((await hub.store.health()).headVersion).toBe(0);
  });

  attack('[A5] a cross-site form (text/plain, urlencoded) cannot sign in or push', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const form = new DeviceClient(hub, 'csrf');
    const body = JSON.stringify({ hub: HUB, loginName: coord.loginName, password: PASSWORD, totp: totpCode(coord.totpSecret, hub.clock.now) });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await form.request('POST', API.session, body, { 'content-type': type });
      expect(answer.status, type).toBe(400);
      expect(answer.headers.get('set-cookie'), type).toBeNull();
    }
    expect(hub.checks.password).toBe(0);
  });

  attack('[A2] sign-in with extra fields (role: admin) or a hub id that is not one: 400, nothing checked', async () => {
    const hub = await ctx.hub();
    const coord = await hub.user('coord1', 'coordinator');
    const phone = new DeviceClient(hub, 'p');
    expect((await phone.request('POST', API.session, { hub: HUB, loginName: coord.loginName, password: PASSWORD, totp: '123456', role: 'admin' })).status).toBe(400);
    expect((await phone.request('POST', API.session, { hub: 'x'.repeat(300), loginName: 'a', password: 'b', totp: '123456' })).status).toBe(400);
    expect((await phone.request('POST', API.session, [{ hub: HUB }])).status).toBe(400);
    expect(hub.checks.password).toBe(0);
  });

  attack("[S10] a case worker cannot write another office's household, by naming the office or by editing one held there", async () => {
    const hub = await ctx.hub();
    const { tablet, lead } = await hubWithOffices(hub);
    const answer = await tablet.push([householdWire('hh-new', { officeId: 'office-b' }), householdWire('hh-b', { officeId: 'office-a', note: '乗っ取り' }, 'update')]);
    expect(reasons(answer.body.results)).toEqual(['scope', 'scope']);
    const held = new Map((await lead.pullAll()).map((r) => [r.entityId, r]));
    expect(held.has('hh-new')).toBe(false);
    expect(JSON.parse(held.get('hh-b')!.payloadJson).note).toBe('事業所Bの世帯');
    expect(held.get('hh-b')!.officeId).toBe('office-b');
  });

  attack("[S10] a case worker's pull never holds another office's household or case, whatever cursor or limit", async () => {
    const hub = await ctx.hub();
    const { tablet, caseB } = await hubWithOffices(hub);
    for (const [cursor, limit] of [[0, 1], [0, 10_000], [1, 1]] as const) {
      const page = await tablet.request<PullResponse>('GET', `${API.pull}?cursor=${cursor}&limit=${limit}`);
      expect(page.status).toBe(200);
      const ids = page.body.records.map((r) => r.entityId);
      expect(ids).not.toContain('hh-b');
      expect(ids).not.toContain(caseB[0]!.id);
    }
    expect((await tablet.request('GET', `${API.pull}?cursor=-1`)).status).toBe(400);
    expect((await tablet.request('GET', `${API.pull}?limit=10001`)).status).toBe(400);
    expect((await tablet.request('GET', `${API.pull}?cursor=0&officeIds=all`)).status).toBe(400);
  });

  attack("[S10] a case worker cannot append to another office's case by naming its case id", async () => {
    const hub = await ctx.hub();
    const { tablet, caseB, lead } = await hubWithOffices(hub);
    const forged = await tablet.caseEntries('case-b', [{ type: 'note', text: '書き足し' } as never], caseB);
    const answer = await tablet.push([entryWire(forged.at(-1)!)]);
    expect(answer.body.results[0]).toMatchObject({ status: 'refused' });
    const entries = (await lead.pullAll()).filter((r) => r.kind === 'case-entry');
    expect(entries.map((r) => r.entityId)).toEqual([caseB[0]!.id]);
  });

  attack('[S10] a case worker writes no facility and no office; a facility liaison writes no household and no other facility', async () => {
    const hub = await ctx.hub();
    const { tablet, lead } = await hubWithOffices(hub);
    await lead.push([wireChange('facility', 'fac-1', facilityPayload('fac-1'), 'create'), wireChange('facility', 'fac-2', facilityPayload('fac-2'), 'create')]);
    expect(reasons((await tablet.push([wireChange('facility', 'fac-1', facilityPayload('fac-1', { emergencyRequestHow: '書き換え' }), 'update'), wireChange('office', 'office-a', { id: 'office-a' }, 'update')])).body.results)).toEqual(['scope', 'scope']);
    const liaison = await new DeviceClient(hub, 'liaison-pc').join(await hub.user('liaison', 'facility-liaison', { facilityId: 'fac-1' }));
    expect(reasons((await liaison.push([householdWire('hh-z'), wireChange('facility', 'fac-2', facilityPayload('fac-2', { emergencyRequestHow: '書き換え' }), 'update')])).body.results)).toEqual(['scope', 'scope']);
    expect((await liaison.pullAll()).map((r) => r.entityId)).toEqual(['fac-1']);
  });

  attack("[S4] a replayed mutation id of another device's change overwrites nothing", async () => {
    const hub = await ctx.hub();
    const { lead, tablet } = await hubWithOffices(hub);
    const original = householdWire('hh-a2', { officeId: 'office-a', note: '元の内容' });
    await lead.push([original]);
    const replay = { ...householdWire('hh-a2', { officeId: 'office-a', note: '偽の内容' }, 'update'), mutationId: original.mutationId };
    const answer = await tablet.push([replay]);
    expect(answer.status).toBe(200);
    const held = (await lead.pullAll()).find((r) => r.entityId === 'hh-a2')!;
    expect(JSON.parse(held.payloadJson).note).toBe('元の内容');
  });

  attack('[S5] evidence cannot be rewritten: the same entry id with other content is refused, the original stays byte for byte', async () => {
    const hub = await ctx.hub();
    const { lead, caseB } = await hubWithOffices(hub);
    const forged = { ...caseB[0]!, body: { ...caseB[0]!.body, subject: { ...subject('hh-b').subject, name: '別人' } } };
    const answer = await lead.push([entryWire(forged)]);
    expect(answer.body.results[0]!.status).toBe('refused');
    const held = (await lead.pullAll()).find((r) => r.entityId === caseB[0]!.id)!;
    expect(held.payloadJson).toBe(JSON.stringify(caseB[0]));
  });

  attack('[A2] forged push shapes: a non-UUID mutation id, repeated seqs, an id over 200 characters, over 1,000 changes: 400, nothing written', async () => {
    const hub = await ctx.hub();
    const phone = await new DeviceClient(hub, 'p').join(await hub.user('coord1', 'coordinator'));
    const good = { ...householdWire('hh-1'), seq: 1 };
    const bodies = [
      { changes: [{ ...good, mutationId: "1' OR '1'='1" }] },
      { changes: [good, { ...householdWire('hh-2'), seq: 1 }] },
      { changes: [{ ...good, entityId: 'x'.repeat(201) }] },
      { changes: Array.from({ length: 1001 }, (_, i) => ({ ...householdWire(`hh-${i}`), seq: i + 1 })) },
      { changes: [{ ...good, seq: 0 }] },
      { changes: [{ ...good, seq: 2 ** 63 }] },
    ];
    for (const body of bodies) expect((await phone.request('POST', API.push, body)).status).toBe(400);
    expect((await hub.store.health()).headVersion).toBe(0);
  });

  attack('[A2] a 閲覧記録 entry that does not say who opened what, and when, is refused; one with an action this hub does not know is kept', async () => {
    const hub = await ctx.hub();
    const phone = await new DeviceClient(hub, 'p').join(await hub.user('coord1', 'coordinator'));
    const good = accessWire('acc-good', 'hh-1', '2026-11-30T15:00:00.000Z', phone);
    const entry = good.payload;
    const answer = await phone.push([
      wireChange('access', 'acc-blank', { id: 'acc-blank' }, 'append'),
      wireChange('access', 'acc-who', { ...entry, id: 'acc-who', userId: '' }, 'append'),
      wireChange('access', 'acc-when', { ...entry, id: 'acc-when', at: '2026-11-30 15:00' }, 'append'),
      wireChange('access', 'acc-other', { ...entry, id: 'acc-else' }, 'append'),
      wireChange('access', 'acc-huge', { ...entry, id: 'acc-huge', userName: '名'.repeat(201) }, 'append'),
      good,
      wireChange('access', 'acc-newer', { ...entry, id: 'acc-newer', action: 'open-visit-note', addedLater: true }, 'append'),
    ]);
    expect(reasons(answer.body.results)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'accepted', 'accepted']);
    const taken = await hub.raw.query<{ entity_id: string }>("SELECT entity_id FROM changes WHERE kind = 'access' ORDER BY version");
    expect(taken.rows.map((r) => r.entity_id)).toEqual(['acc-good', 'acc-newer']);
  });

  attack('[A11] path traversal on static files: encoded dot segments, backslashes and double encoding never leave dist', async () => {
    const hub = await ctx.hub();
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cetc%5cpasswd', '/%252e%252e/etc/passwd', '/assets/../../../../etc/passwd']) {
      const res = await fetch(`${hub.base}${path}`);
      const text = await res.text();
      expect(text, path).not.toContain('root:');
      expect([200, 400, 404], path).toContain(res.status);
    }
  });

  attack('[A6] a device id enrolled in another hub cannot be taken over from there (409)', async () => {
    const hub = await ctx.hub();
    await new DeviceClient(hub, 'shared-id').join(await hub.user('coord1', 'coordinator'));
    await hub.store.createTenant({ id: 'hub-other', name: '別の拠点' });
    const stranger = await hub.accounts.createUser({ id: 'u-x', tenantId: 'hub-other', role: 'coordinator', loginName: 'x', displayName: 'x', password: PASSWORD });
    const theirs = new DeviceClient(hub, 'shared-id');
    await theirs.request('POST', API.session, { hub: 'hub-other', loginName: 'x', password: PASSWORD, totp: totpCode(stranger.totpSecret, hub.clock.now) });
    expect((await theirs.enrol()).status).toBe(409);
  });
};

export const retirementAttacks: AttackGroup = (attack, ctx) => {
  const retired = async (hub: ApiHarness): Promise<{ phone: DeviceClient; coord: TestUser; lead: DeviceClient }> => {
    const coord = await hub.user('coord1', 'coordinator');
    const lead = await new DeviceClient(hub, 'lead').join(await hub.user('lead', 'coordinator'));
    await lead.push([householdWire('hh-1', { officeId: 'office-a', note: '元の内容' })]);
    const phone = await new DeviceClient(hub, 'p').join(coord);
    await hub.accounts.disableDevice('p');
    return { phone, coord, lead };
  };

  attack('[retire] a device that is not retired may use neither the retire push nor retire/done', async () => {
    const hub = await ctx.hub();
    const phone = await new DeviceClient(hub, 'p').join(await hub.user('coord1', 'coordinator'));
    expect((await phone.push([householdWire('hh-1')], API.retirePush)).status).toBe(403);
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(403);
  });

  attack('[retire] a retired device cannot slip a household edit in through the retire push: quarantined, the record unchanged', async () => {
    const hub = await ctx.hub();
    const { phone, lead } = await retired(hub);
    phone.cookie = undefined;
    const answer = await phone.push([householdWire('hh-1', { officeId: 'office-a', note: '改ざん' }, 'update')], API.retirePush);
    expect(reasons(answer.body.results)).toEqual(['scope']);
    expect(JSON.parse((await lead.pullAll()).find((r) => r.entityId === 'hh-1')!.payloadJson).note).toBe('元の内容');
    expect((await hub.store.listQuarantine(HUB)).map((q) => q.entityId)).toEqual(['hh-1']);
  });

  attack('[retire] once a retired device has said it erased its data, its secret adds no more evidence; saying so again is still answered', async () => {
    const hub = await ctx.hub();
    const { phone } = await retired(hub);
    phone.cookie = undefined;
    const last = accessWire('acc-last', 'hh-1', '2026-11-30T15:00:00.000Z', phone);
    expect((await phone.push([last], API.retirePush)).status).toBe(200);
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(204);
    const later = await phone.push([accessWire('acc-later', 'hh-1', '2026-12-01T15:00:00.000Z', phone)], API.retirePush);
    expect(later.status).toBe(403);
    expect(later.body).toMatchObject({ message: expect.stringContaining('消去を報告済み') });
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(204);
    const taken = await hub.raw.query<{ entity_id: string }>("SELECT entity_id FROM changes WHERE kind = 'access' ORDER BY version");
    expect(taken.rows.map((r) => r.entity_id)).toEqual(['acc-last']);
  });

  attack('[retire] a retired device can neither pull nor push nor re-enrol, nor its session enrol another', async () => {
    const hub = await ctx.hub();
    const { phone, coord } = await retired(hub);
    expect((await phone.pull(0)).status).toBe(410);
    expect((await phone.push([householdWire('hh-2')])).status).toBe(410);
    // the session it was opened through ended with it (A5): its cookie enrols neither it nor a new id
    expect((await phone.enrol()).status).toBe(401);
    const taken = new DeviceClient(hub, 'new-id');
    taken.cookie = phone.cookie;
    expect((await taken.enrol()).status).toBe(401);
    hub.clock.advance(30_000); // the next TOTP code [A3]
    expect((await phone.signIn(coord)).status).toBe(200);
    expect((await phone.enrol()).status).toBe(410);
  });

  attack('[retire] a retire push with a NUL and a lone surrogate is quarantined without a database error', async () => {
    const hub = await ctx.hub();
    const { phone } = await retired(hub);
    phone.cookie = undefined;
    const answer = await phone.push(
      [
        wireChange('access', 'acc\u00002', { householdId: 'hh-1\ud800', at: '2026-11-30T15:00:00.000Z' }, 'append'),
        accessWire('acc-1', 'hh-1', '2026-11-30T15:00:00.000Z', phone),
      ],
      API.retirePush,
    );
    expect(answer.status).toBe(200);
    expect(reasons(answer.body.results)).toEqual(['invalid', 'accepted']);
    expect(ctx.dbErrors()).toEqual([]);
    expect((await hub.store.listQuarantine(HUB)).map((q) => q.reason)).toEqual(['invalid']);
  });
};
