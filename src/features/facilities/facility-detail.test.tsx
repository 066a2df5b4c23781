import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFacility } from '../../../test/factories/facility';
import { useApp } from '../../state/store';
import { takeCallStartedAt } from '../../state/phone-call';
import { mountFacilities, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
  window.location.hash = '';
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('a facility looked up by name during an emergency', () => {
  it("says a call from here records nothing, and leads to each of the night's open cases, the person's match first", async () => {
    const facility = createFacility({ id: 'fac-1', name: 'ひまわり' });
    const yota = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(1) }), at: hoursAgo(1) }], 'case-yota');
    const unknown = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(3), subject: { householdId: null, personId: null, name: '', recipientNumber: '' } }), at: hoursAgo(3) }], 'case-unknown');
    // opened a week ago and never closed: not tonight's
    const old = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(24 * 7) }), at: hoursAgo(24 * 7) }], 'case-old');
    useApp.setState({ caseEntries: new Map([['case-yota', yota], ['case-unknown', unknown], ['case-old', old]]) });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [facility] });

    const notice = (await screen.findByText('緊急対応中です')).closest('.notice') as HTMLElement;
    expect(notice).toHaveTextContent('この画面からの電話は、対応の記録に残りません');
    const links = within(notice).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['#/match/hh-1/p-1?case=case-yota', '#/cases/case-unknown']);
    expect(links[0]).toHaveTextContent(/^佐藤 陽太さん（\d+\/\d+ \d\d:\d\d〜）の受入先の一覧へ$/);
    expect(links[1]).toHaveTextContent(/^本人未特定（/);
    // the unknown caller's case screen has no call button: the call is recorded there by hand
    expect(notice).toHaveTextContent('下のリンクから受入先の一覧に移って電話してください');
    expect(notice).toHaveTextContent('登録者と結び付けていない対応は、電話の後に、下のリンクから対応の画面に移って「連絡を記録（手入力）」で記録してください');
  });

  it('for an unknown caller\'s case alone, says to record the call by hand on its screen, not to call from there', async () => {
    const facility = createFacility({ id: 'fac-1', name: 'ひまわり' });
    const unknown = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(1), subject: { householdId: null, personId: null, name: '山田 花子', recipientNumber: '' } }), at: hoursAgo(1) }], 'case-unknown');
    useApp.setState({ caseEntries: new Map([['case-unknown', unknown]]) });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [facility] });

    const notice = (await screen.findByText('緊急対応中です')).closest('.notice') as HTMLElement;
    expect(notice).toHaveTextContent('「連絡を記録（手入力）」で記録してください');
    expect(notice).not.toHaveTextContent('移って電話してください');
    // named as the caller said, until linked to a registered person
    expect(within(notice).getByRole('link')).toHaveTextContent(/^山田 花子（/);
  });

  it('says nothing of cases when none is open', async () => {
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [createFacility({ id: 'fac-1' })] });
    expect(await screen.findByRole('link', { name: /電話/ })).toBeInTheDocument();
    expect(screen.queryByText('緊急対応中です')).toBeNull();
  });
});

describe('a facility that said it would call back', () => {
  it("points to each open case waiting for its call back, a colleague's too, and not once it called back or the case closed", async () => {
    const facility = createFacility({ id: 'fac-1', name: 'ひまわり' });
    const call = (result: '折り返し待ち' | '受入不可', at: string) => ({ body: contactBody({ facilityId: 'fac-1', facilityName: 'ひまわり', result, contactedAt: at }), at });
    // a colleague's phone, synced in
    const waiting = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(8) }), at: hoursAgo(8) }, call('折り返し待ち', hoursAgo(7.9))], 'case-waiting', { by: { userId: 'u-2', name: '鈴木 夜勤' }, deviceId: 'device-2' });
    const answered = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(6) }), at: hoursAgo(6) }, call('折り返し待ち', hoursAgo(5.9)), call('受入不可', hoursAgo(5.5))], 'case-answered');
    const closed = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(5) }), at: hoursAgo(5) }, call('折り返し待ち', hoursAgo(4.9)), { body: { type: 'close', closedAt: hoursAgo(4.8) }, at: hoursAgo(4.8) }], 'case-closed');
    useApp.setState({ caseEntries: new Map([['case-waiting', waiting], ['case-answered', answered], ['case-closed', closed]]) });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [facility] });

    const notice = (await screen.findByText('この事業所からの折り返しを待っています')).closest('.notice') as HTMLElement;
    expect(notice).toHaveTextContent('「折り返しがあった」で記録してください');
    expect(within(notice).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['#/cases/case-waiting']);
  });
});

describe('one office registered twice', () => {
  it('names the other record, with a link, and why', async () => {
    const mine = createFacility({ id: 'fac-a', name: 'ひまわり', officeNumber: '1210100001' });
    const theirs = createFacility({ id: 'fac-b', name: 'ひまわり短期入所', officeNumber: '１２１０１０００01' });
    const other = createFacility({ id: 'fac-c', name: 'つばさ苑' });
    mountFacilities({ hash: '#/facilities/fac-a', facilities: [mine, theirs, other] });
    const notice = (await screen.findByText('同じ事業所番号の登録がほかにもあります')).closest('.notice') as HTMLElement;
    expect(notice).toHaveTextContent('事業所番号 1210100001 は次の登録にもあります');
    expect(within(notice).getByRole('link', { name: 'ひまわり短期入所' })).toHaveAttribute('href', '#/facilities/fac-b');
  });

  it('marks both rows of the list and not a facility alone on its number', async () => {
    const mine = createFacility({ id: 'fac-a', name: 'ひまわり', officeNumber: '1210100001' });
    const theirs = createFacility({ id: 'fac-b', name: 'ひまわり短期入所', officeNumber: '1210100001' });
    const other = createFacility({ id: 'fac-c', name: 'つばさ苑' });
    mountFacilities({ hash: '#/facilities', facilities: [mine, theirs, other] });
    const list = await screen.findByRole('list', { name: '短期入所事業所' });
    const marked = within(list).getAllByText('同じ事業所番号の登録が2件').map((el) => el.closest('a')!.querySelector('.fac-row__name')!.textContent);
    expect(marked).toEqual(['ひまわり', 'ひまわり短期入所']);
  });

  it('says nothing of it for a facility alone on its number', async () => {
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [createFacility({ id: 'fac-1' }), createFacility({ id: 'fac-2', name: 'つばさ苑' })] });
    expect(await screen.findByRole('link', { name: /電話/ })).toBeInTheDocument();
    expect(screen.queryByText('同じ事業所番号の登録がほかにもあります')).toBeNull();
  });
});

describe("a facility's number tapped on its page", () => {
  afterEach(() => void takeCallStartedAt());

  const tap = async () => {
    const number = await screen.findByRole('link', { name: /^電話 / });
    number.addEventListener('click', (e) => e.preventDefault());
    fireEvent.click(number);
  };

  it('gives the idle lock the call’s grace while a case is open (an unknown caller’s case is called from here), and not by day with none', async () => {
    const facility = createFacility({ id: 'fac-1', name: 'ひまわり', phone: '047-333-3333' });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [facility] });
    await tap();
    expect(takeCallStartedAt()).toBeNull();
    cleanup();

    const unknown = await appendEntries([], [{ body: openBody({ requestedAt: hoursAgo(1), subject: { householdId: null, personId: null, name: '', recipientNumber: '' } }), at: hoursAgo(1) }], 'case-unknown');
    useApp.setState({ caseEntries: new Map([['case-unknown', unknown]]) });
    mountFacilities({ hash: '#/facilities/fac-1', facilities: [facility] });
    const before = Date.now();
    await tap();
    expect(takeCallStartedAt()).toBeGreaterThanOrEqual(before);
  });
});
