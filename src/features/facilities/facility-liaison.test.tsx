/**
 * A facility's liaison (連携担当者) on a phone joined to a hub: their own facility to change and
 * report, nothing of the hub's cases, and words that fit what they can do.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFacility } from '../../../test/factories/facility';
import { createFakeSession } from '../../../test/factories/fake-session';
import { addDaysToDate, japanDateOf } from '../../domain/japan-time';
import type { Facility } from '../../domain/facility';
import type { HubLink } from '../../vault/types';
import { useApp } from '../../state/store';
import { forgetLiaison, rememberLiaison } from '../../state/liaison-hint';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import { mountFacilities, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
  syncStatus.setState(initialSyncStatus, true);
  window.location.hash = '';
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const today = () => japanDateOf(new Date());

/** A phone joined to the hub, whose last pull was this liaison's: their one facility is `facilityId`. */
async function liaisonSession(facilityId: string) {
  const session = createFakeSession({ displayName: '連携 一郎' });
  const link: HubLink = {
    hub: 'hub-1',
    loginName: 'liaison',
    userId: 'u-liaison',
    displayName: '連携 一郎',
    role: 'facility-liaison',
    deviceSecret: 'secret',
    cursor: 10,
    scope: { role: 'facility-liaison', officeIds: [], facilityId },
    lastSyncAt: hoursAgo(1),
    openConflicts: 0,
    signedOut: false,
  };
  await session.sync.saveHubLink(link);
  syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'facility-liaison', facilityId, lastSyncAt: link.lastSyncAt });
  return session;
}

const own = createFacility({ id: 'fac-1', name: 'あおぞら短期入所' });
const other = createFacility({ id: 'fac-2', name: 'ひまわり' });

describe('a liaison sees their own facility to change, no other', () => {
  it('offers 空床を報告 on their own row only', async () => {
    mountFacilities({ facilities: [own, other], session: await liaisonSession('fac-1') });
    expect(await screen.findByRole('link', { name: 'あおぞら短期入所 の空床を報告' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'ひまわり の空床を報告' })).toBeNull();
  });

  it('offers 編集 and 空床を報告 on their own facility, and on another says what they may do', async () => {
    const session = await liaisonSession('fac-1');
    const view = mountFacilities({ hash: '#/facilities/fac-1', facilities: [own, other], session });
    expect(await screen.findByRole('button', { name: '編集' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '空床を報告' })).toBeInTheDocument();
    view.unmount();

    mountFacilities({ hash: '#/facilities/fac-2', facilities: [own, other], session });
    expect(await screen.findByText('この端末では、ご自分の事業所の空床の報告と情報の変更ができます。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '編集' })).toBeNull();
    expect(screen.queryByRole('link', { name: '空床を報告' })).toBeNull();
  });

  it("answers a link to another facility's report or form with what they may do, not the form", async () => {
    const session = await liaisonSession('fac-1');
    const view = mountFacilities({ hash: '#/facilities/fac-2/vacancy', facilities: [own, other], session });
    expect(await screen.findByText('この端末では、ご自分の事業所の空床の報告と情報の変更ができます。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '報告する' })).toBeNull();
    view.unmount();

    const edit = mountFacilities({ hash: '#/facilities/fac-2/edit', facilities: [own, other], session });
    expect(await screen.findByText('この端末では、ご自分の事業所の空床の報告と情報の変更ができます。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
    edit.unmount();

    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [own, other], session });
    expect(await screen.findByRole('button', { name: '報告する' })).toBeInTheDocument();
  });
});

describe("a liaison sees nothing of the hub's cases", () => {
  it('shows neither the open cases nor the cases waiting for their call back, with their names', async () => {
    const call = contactBody({ facilityId: 'fac-1', facilityName: 'あおぞら短期入所', result: '折り返し待ち', contactedAt: hoursAgo(0.9) });
    const kase = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(1) }), at: hoursAgo(1) }, { body: call, at: hoursAgo(0.9) }], 'case-yota');
    useApp.setState({ caseEntries: new Map([['case-yota', kase]]) });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [own], session: await liaisonSession('fac-1') });

    expect(await screen.findByRole('button', { name: '編集' })).toBeInTheDocument();
    expect(screen.queryByText('緊急対応中です')).toBeNull();
    expect(screen.queryByText('この事業所からの折り返しを待っています')).toBeNull();
    expect(screen.queryByText(/佐藤 陽太/)).toBeNull();
    expect(document.querySelector('a[href^="#/cases/"], a[href^="#/match/"]')).toBeNull();
  });
});

describe('words for a liaison', () => {
  it('tells a liaison with no facility yet that a sync brings theirs, not to register one', async () => {
    mountFacilities({ facilities: [], session: await liaisonSession('fac-1') });
    expect(screen.getByText('この端末にはまだ事業所がありません。同期すると、ご自分の事業所が表示されます。')).toBeInTheDocument();
    expect(screen.queryByText(/「事業所を登録」か「CSVを取り込む」/)).toBeNull();
  });

  it('says under ひとこと that every phone of the hub shows it, so no names of users', async () => {
    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [own], session: await liaisonSession('fac-1') });
    expect(await screen.findByLabelText('ひとこと（任意）')).toHaveAccessibleDescription('拠点のすべての端末に表示されます。利用者のお名前は書かないでください。');
  });
});

describe('空床を報告 for a facility closed', () => {
  const closedWords = /休止・廃止の間は、空床を報告しても受入先の候補に出ません.*「編集」で「運営の状況」を「運営中」にしてください/;

  it('shows the 休止 under its name, and says the report is not offered to coordinators until it runs again', async () => {
    const suspended: Facility = createFacility({ closure: { kind: 'suspended', from: addDaysToDate(today(), -3), until: addDaysToDate(today(), 10), note: '職員不足のため' } });
    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [suspended] });
    const name = await screen.findByText('あおぞら短期入所', { selector: '.fac-report__facility' });
    expect(within(name).getByText(/^休止中（.+まで）・職員不足のため$/)).toBeInTheDocument();
    expect(screen.getByText(closedWords)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '報告する' })).toBeInTheDocument();
  });

  it('for a 廃止 too; and says nothing for a facility that runs', async () => {
    const view = mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [createFacility({ closure: { kind: 'closed', from: addDaysToDate(today(), -1), until: null, note: '' } })] });
    expect(await screen.findByText(/^廃止（.+から）$/)).toBeInTheDocument();
    expect(screen.getByText(closedWords)).toBeInTheDocument();
    view.unmount();
    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [createFacility()] });
    expect(await screen.findByRole('button', { name: '報告する' })).toBeInTheDocument();
    expect(screen.queryByText(closedWords)).toBeNull();
  });

  it('says so when the period reported runs into a planned 休止', async () => {
    const planned = createFacility({ closure: { kind: 'suspended', from: addDaysToDate(today(), 5), until: addDaysToDate(today(), 9), note: '' } });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [planned] });
    expect(await screen.findByText(/から休止予定$/)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: '期間を指定（週末など）' }));
    await user.type(screen.getByLabelText(/初日/), addDaysToDate(today(), 1));
    await user.type(screen.getByLabelText(/最終日/), addDaysToDate(today(), 2));
    expect(screen.queryByText(/からの休止・廃止の間の夜は、報告しても受入先の候補に出ません/)).toBeNull();
    await user.clear(screen.getByLabelText(/最終日/));
    await user.type(screen.getByLabelText(/最終日/), addDaysToDate(today(), 6));
    expect(await screen.findByText(/からの休止・廃止の間の夜は、報告しても受入先の候補に出ません/)).toBeInTheDocument();
  });
});

describe('a liaison whose role the phone could not read this time', () => {
  it('is offered no facility form when the sync code did not load: the last unlock said liaison', async () => {
    const session = await liaisonSession('fac-1');
    rememberLiaison(session.user.id, true);
    // joined, and no role read: the engine's file failed to load after an update
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: null });
    mountFacilities({ hash: '#/facilities/new', facilities: [own, other], session });
    onTestFinished(() => forgetLiaison(session.user.id));
    expect(await screen.findByText('この端末では、ご自分の事業所の空床の報告と情報の変更ができます。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
  });
});
