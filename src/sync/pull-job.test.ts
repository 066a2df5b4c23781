import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../test/factories/household';
import { PULL_NEXT_HEADER } from '../protocol/cursor';
import type { PullResponse, WireRecord } from '../protocol/sync';
import { bindingOf, unseal } from '../vault/crypto';
import { newId } from '../vault/testing';
import { HubClient, type FetchLike } from './client';
import { startPullJob } from './off-thread';
import { PullJobError, runPullJob, type PullHead } from './pull-job';

const key = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

function answerOf(records: WireRecord[], hasMore: boolean): PullResponse {
  return { records, cursor: 'e1:30', hasMore, scope: { role: 'coordinator', officeIds: 'all', facilityId: null }, openConflicts: 0 };
}

const respond =
  (status: number, body: string, headers: Record<string, string> = {}): FetchLike =>
  async () =>
    new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });

describe('pull job', () => {
  const id = newId();
  const household = createHousehold({ id, note: '夜間は長男に電話' });
  const records: WireRecord[] = [
    { kind: 'household', entityId: id, version: 10, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(household) },
    // a record this app cannot read: set aside, sealed [R3]
    { kind: 'household', entityId: newId(), version: 20, officeId: 'office-a', withdrawn: false, payloadJson: '{"persons":"?"}' },
    // an admin's removal [R4]
    { kind: 'household', entityId: newId(), version: 30, officeId: 'office-a', withdrawn: true, payloadJson: 'null' },
  ];

  it("hands back the head first, then the page sealed: nothing of a record's data in clear", async () => {
    const sealingKey = await key();
    const order: string[] = [];
    let next: string | null = 'not called';
    let head: PullHead | undefined;
    const fetch = respond(200, JSON.stringify(answerOf(records, true)), { [PULL_NEXT_HEADER]: 'e1:30' });

    const page = await runPullJob(
      fetch,
      { url: '/api/sync/pull?cursor=0', init: {}, key: sealingKey, now: Date.UTC(2026, 11, 3) },
      (h) => {
        order.push('head');
        head = h;
      },
      (cursor) => {
        order.push('next');
        next = cursor;
      },
    );

    expect(order).toEqual(['next', 'head']);
    expect(next).toBe('e1:30');
    expect(head).toMatchObject({ cursor: 'e1:30', hasMore: true, count: 3 });
    expect(head).not.toHaveProperty('records');
    expect(page.size).toBe(3);
    expect(page.page.map((r) => [r.entityId, r.version, r.payloadJson])).toEqual([[id, 10, '']]);
    expect(JSON.stringify(page)).not.toContain('夜間は長男に電話');
    expect(await unseal(sealingKey, bindingOf('records', 'household', id), page.sealed[0]!)).toEqual(household);
    expect(page.setAsideRows).toHaveLength(1);
    expect(page.removed.map((r) => r.entityId)).toEqual([records[2]!.entityId]);
    expect(page.updatedAt).toBe('2026-12-03T00:00:00.000Z');
  });

  it('fails as the same pull would have: an error answer, a lost connection, a broken answer', async () => {
    const request = { url: '/api/sync/pull?cursor=0', init: {}, key: await key(), now: 0 };
    const failureOf = async (fetch: FetchLike) => {
      const error = await runPullJob(fetch, request, () => undefined).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PullJobError);
      return HubClient.pullFailure('0', 2000, (error as PullJobError).failure);
    };

    const signedOut = await failureOf(respond(401, JSON.stringify({ error: 'signed-out', message: 'もう一度サインインしてください' })));
    expect(signedOut.code).toBe('signed-out');
    expect(signedOut.serverMessage).toBe('もう一度サインインしてください');
    expect((await failureOf(respond(500, 'busy'))).code).toBe('server');
    // a proxy's page with the hub stopped behind it: the hub out of reach
    expect((await failureOf(respond(502, '<html>Bad Gateway</html>'))).code).toBe('unreachable');
    expect((await failureOf(() => Promise.reject(new TypeError('Failed to fetch')))).code).toBe('unreachable');
    expect((await failureOf(respond(200, '{"records": ['))).code).toBe('bad-response');
    const strange = await failureOf(respond(200, JSON.stringify({ ...answerOf(records, false), cursor: 7 })));
    expect(strange.code).toBe('bad-response');
    expect(strange.detail).toContain('cursor');
  });

  it('gives a page up when the hub does not answer within the time limit: a network failure, taken for an unreachable hub', async () => {
    const request = { url: '/api/sync/pull?cursor=0', init: {}, key: await key(), now: 0, timeLimitMs: 50 };
    const error = await runPullJob(() => new Promise<Response>(() => undefined), request, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullJobError);
    expect(HubClient.pullFailure('0', 2000, (error as PullJobError).failure).code).toBe('unreachable');
  });

  it('runs on this thread with an injected fetch (or where no worker can start)', async () => {
    const job = startPullJob({ url: '/p', init: {}, key: await key(), now: 0 }, respond(200, JSON.stringify(answerOf(records.slice(0, 1), false))));

    expect(await job.next).toBeNull();
    expect((await job.head).count).toBe(1);
    expect((await job.sealed).sealed).toHaveLength(1);
  });

  it('a failed job answers its hint with null, and fails its head and its page alike', async () => {
    const job = startPullJob({ url: '/p', init: {}, key: await key(), now: 0 }, respond(500, ''));

    expect(await job.next).toBeNull();
    await expect(job.head).rejects.toBeInstanceOf(PullJobError);
    await expect(job.sealed).rejects.toBeInstanceOf(PullJobError);
  });
});
