import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeHub, type FakeHub, type FakeHubUser } from '../../../test/factories/fake-hub';
import { createHousehold } from '../../../test/factories/household';
import { openBody } from '../../../test/factories/emergency-case';
import { chainNext } from '../../domain/case-chain';
import { useApp } from '../../state/store';
import { API, REFUSAL_LABELS } from '../../protocol/sync';
import { createSyncEngine } from '../../sync/engine';
import { initialSyncStatus, syncStatus, type SyncStatus } from '../../sync/status';
import { createSampleRecord, newId, setUpTestVault } from '../../vault/testing';
import { SyncSection } from './sync-section';
import { SyncStatusLine, syncLineText } from './sync-status-line';
import { refusalWords, ST, syncTimeText } from './sync-text';
import { S } from '../../sync/text';
import { VaultError } from '../../vault/errors';

async function unlockedWithHub(hub: FakeHub) {
  const vault = await setUpTestVault();
  useApp.setState({ vault: vault.vault, phase: 'unlocked', session: vault.session, users: [vault.session.user] });
  const engine = createSyncEngine({ session: vault.session, fetch: hub.browser(), locks: null, forgetInstall: vi.fn() });
  syncStatus.setState({ engine });
  await engine.refresh();
  return { ...vault, engine };
}

async function fillJoinForm(user: FakeHubUser, overrides: Partial<{ password: string; totp: string }> = {}) {
  const u = userEvent.setup();
  await u.type(screen.getByLabelText(ST.hub), user.hub);
  await u.type(screen.getByLabelText(ST.loginName), user.loginName);
  await u.type(screen.getByLabelText(ST.password), overrides.password ?? user.password);
  await u.type(screen.getByLabelText(ST.totp), overrides.totp ?? user.totp);
  await u.click(screen.getByRole('button', { name: ST.join }));
  return u;
}

/** The first sync has finished when the button is back and the last sync has a time. */
async function firstSyncDone() {
  await waitFor(
    () => {
      expect(screen.getByRole('button', { name: ST.syncNow })).toBeEnabled();
      expect(screen.queryByText(ST.lastSync(null))).not.toBeInTheDocument();
    },
    { timeout: 5000 },
  );
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  syncStatus.setState(initialSyncStatus, true);
});

afterEach(() => {
  useApp.getState().vault?.close();
});

/** The section on screen, joined to `hub` through its form, the first sync done. */
/** The section rendered, this device joined to a fresh fake hub, and its first sync done. */
async function joinedAndSynced() {
  const hub = createFakeHub();
  const user = hub.addUser();
  await unlockedWithHub(hub);
  render(<SyncSection />);
  const u = await fillJoinForm(user);
  await firstSyncDone();
  return u;
}

async function joinedOnScreen(hub: FakeHub) {
  const user = hub.addUser();
  const joined = await unlockedWithHub(hub);
  render(<SyncSection />);
  await fillJoinForm(user);
  await firstSyncDone();
  return joined;
}

describe('拠点サーバーと同期', () => {
  it('explains working alone, then joins: sign-in, enrolment and a first sync that uploads what was made here', async () => {
    const hub = createFakeHub();
    const user = hub.addUser({ displayName: '夜間 太郎' });
    const { session } = await unlockedWithHub(hub);
    const made = newId();
    await session.put('household', made, createSampleRecord(), 'create');
    render(<SyncSection />);

    expect(screen.getByText(ST.aloneIntro)).toBeInTheDocument();
    await fillJoinForm(user);

    expect(await screen.findByText(ST.signedInAs('夜間 太郎', '拠点コーディネーター'))).toBeInTheDocument();
    expect(await screen.findByText(ST.pending(0))).toBeInTheDocument();
    expect(hub.records.has(`household/${made}`)).toBe(true);
    // The device was enrolled under the unlocked user's name.
    expect(hub.requests.find((r) => r.path === '/api/devices')?.body).toMatchObject({ name: ST.deviceName(session.user.displayName) });
  });

  it('joins for a user whose name is 100 characters long: the device name is cut to what the hub takes, never inside a character', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    // 100 UTF-16 units (99 characters): 「の端末」 after it passed the hub's 100, and the join was refused
    const long = `${'相'.repeat(96)}𠮷田田`;
    expect(long).toHaveLength(100);
    useApp.setState({ session: Object.create(session, { user: { value: { ...session.user, displayName: long } } }) as typeof session });
    render(<SyncSection />);
    await fillJoinForm(user);
    await firstSyncDone();
    const name = (hub.requests.find((r) => r.path === '/api/devices')?.body as { name: string }).name;
    // 𠮷 is two units: cut before it, not between them
    expect(name).toBe(`${'相'.repeat(96)}の端末`);
    expect(ST.deviceName('あ'.repeat(100))).toBe(`${'あ'.repeat(97)}の端末`);
    expect(ST.deviceName('夜間 太郎')).toBe('夜間 太郎の端末');
  });

  it('[A8] on a phone another user joined, offers 「この端末で拠点にサインイン」 once, then says who syncs; a held queue names who is awaited', async () => {
    const hub = createFakeHub();
    const first = hub.addUser({ displayName: '拠点 花子' });
    const second = hub.addUser({ displayName: '当番 次郎' });
    const { session, engine } = await unlockedWithHub(hub);
    await engine.join({ hub: first.hub, loginName: first.loginName, password: first.password, totp: first.totp, deviceName: '当番携帯' });
    // as the phone looks to a user of the vault who has not signed in on it: the link is Hanako's
    const link = (await session.sync.hubLink())!;
    await session.sync.saveHubLink({ ...link, members: { 'hanako-on-this-phone': link.members![session.user.id]! } });
    await engine.refresh();
    render(<SyncSection />);

    expect(screen.getByText(ST.needsSignIn(session.user.displayName, 'aozora'))).toBeInTheDocument();
    expect(screen.getByLabelText(ST.hub)).toHaveValue('aozora');
    expect(screen.getByLabelText(ST.loginName)).toHaveValue('');
    const u = userEvent.setup();
    await u.type(screen.getByLabelText(ST.loginName), second.loginName);
    await u.type(screen.getByLabelText(ST.password), second.password);
    await u.type(screen.getByLabelText(ST.totp), second.totp);
    await u.click(screen.getByRole('button', { name: ST.signInHere }));

    expect(await screen.findByText(ST.signedInAs('当番 次郎', '拠点コーディネーター'))).toBeInTheDocument();
    // the phone was not taken over: the same device, its secret proved, both users on it
    expect(hub.device(session.deviceId)!.users.size).toBe(2);
    await firstSyncDone();
    await waitFor(() => expect(syncStatus.getState().running).toBe(false));
    syncStatus.setState({ heldFor: '拠点 花子' });
    expect(await screen.findByText(ST.heldFor('拠点 花子'))).toBeInTheDocument();
  });

  it('checks the form before sending, and shows a wrong password in words without linking anything', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);

    await fillJoinForm(user, { totp: '12' });
    expect(screen.getByLabelText(ST.totp)).toHaveAccessibleDescription(expect.stringContaining(ST.totpInvalid));
    expect(hub.requests).toEqual([]);

    const u = userEvent.setup();
    await u.clear(screen.getByLabelText(ST.totp));
    await u.type(screen.getByLabelText(ST.totp), user.totp);
    await u.clear(screen.getByLabelText(ST.password));
    await u.type(screen.getByLabelText(ST.password), 'wrong password');
    await u.click(screen.getByRole('button', { name: ST.join }));
    expect(await screen.findByText('拠点ID・ログインID・パスワード・確認コードのいずれかが違います。')).toBeInTheDocument();
    expect(await session.sync.hubLink()).toBeUndefined();
  });

  it("shows the hub's words when the code was just used by another sign-in (two tabs at once), not a wrong password", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);
    const used = 'この確認コードは使用済みです（同時に別のサインインで使われました）。12秒ほどで次のコードが表示されたら、それを入力してください。';
    hub.fail({ type: 'error', status: 401, code: 'bad-credentials', message: used, retryAfterSeconds: 12 }, API.session);
    await fillJoinForm(user);
    expect(await screen.findByText(used)).toBeInTheDocument();
    expect(screen.queryByText('拠点ID・ログインID・パスワード・確認コードのいずれかが違います。')).toBeNull();
    expect(await session.sync.hubLink()).toBeUndefined();
  });

  it('says a join made offline must be made again, not that it will sync by itself', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);
    hub.fail({ type: 'network' }, API.session);
    await fillJoinForm(user);
    expect(await screen.findByText(ST.joinOffline)).toBeInTheDocument();
    expect(screen.queryByText(/自動で同期します/)).toBeNull();
    expect(await session.sync.hubLink()).toBeUndefined();
  });

  it('says a sign-in turned away by a busy hub must be made again, not that it will be tried again by itself', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);
    hub.fail({ type: 'error', status: 503, code: 'unavailable', message: 'サインインが混み合っています。もう一度お試しください。', retryAfterSeconds: 2 }, API.session);
    await fillJoinForm(user);
    expect(await screen.findByText(ST.joinBusy)).toBeInTheDocument();
    expect(screen.queryByText(/自動で再試行します/)).toBeNull();
    expect(await session.sync.hubLink()).toBeUndefined();
  });

  it('syncs on 今すぐ同期, and signing out keeps the queued changes after saying so', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);
    const u = await fillJoinForm(user);
    await firstSyncDone();

    const later = newId();
    await session.put('household', later, createSampleRecord(), 'create');
    await u.click(screen.getByRole('button', { name: ST.syncNow }));
    await waitFor(() => expect(hub.records.has(`household/${later}`)).toBe(true));

    const queuedOffline = newId();
    await session.put('household', queuedOffline, createSampleRecord(), 'create');
    await syncStatus.getState().engine!.refresh();
    await u.click(screen.getByRole('button', { name: ST.signOut }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(ST.signOutBody(1))).toBeInTheDocument();
    await u.click(within(dialog).getByRole('button', { name: ST.signOut }));

    expect(await screen.findByText(ST.aloneSignedOut)).toBeInTheDocument();
    expect(screen.getByLabelText(ST.hub)).toHaveValue(user.hub);
    expect((await session.outbox()).map((e) => e.entityId)).toContain(queuedOffline);
  });

  it('says so when signing out fails on this phone (the storage), and stays signed in', async () => {
    const u = await joinedAndSynced();
    vi.spyOn(syncStatus.getState().engine!, 'signOut').mockRejectedValueOnce(new VaultError('quota-exceeded'));
    await u.click(screen.getByRole('button', { name: ST.signOut }));
    await u.click(within(screen.getByRole('dialog')).getByRole('button', { name: ST.signOut }));
    expect(await screen.findByText(/^サインアウトできませんでした（サインインしたままです）。端末の保存容量が足りません。/)).toBeInTheDocument();
    expect(screen.queryByText(ST.aloneSignedOut)).toBeNull();
  });

  it('says so when 今すぐ同期 cannot run because another tab is syncing, instead of doing nothing', async () => {
    const u = await joinedAndSynced();
    await waitFor(() => expect(syncStatus.getState().running).toBe(false));
    vi.spyOn(syncStatus.getState().engine!, 'run').mockResolvedValueOnce('busy');
    await u.click(screen.getByRole('button', { name: ST.syncNow }));
    expect(await screen.findByText(S.problem.busy)).toBeInTheDocument();
  });

  it('lists a refused change with its reason and what to do; setting it aside keeps the record', async () => {
    const hub = createFakeHub();
    const { session, engine } = await joinedOnScreen(hub);

    const refused = newId();
    await session.put('household', refused, createSampleRecord(), 'create');
    hub.refuseEntity(refused, 'scope', 'office-b は担当外');
    await engine.run();

    const list = await screen.findByRole('list', { name: ST.refusedTitle });
    expect(within(list).getByText(REFUSAL_LABELS.scope)).toBeInTheDocument();
    expect(within(list).getByText(ST.refusedAdvice.scope)).toBeInTheDocument();
    expect(within(list).getByText('office-b は担当外')).toBeInTheDocument();
    // whose change it is, on a shared phone
    expect(within(list).getByText(new RegExp(`${session.user.displayName}さん`))).toBeInTheDocument();

    const u = userEvent.setup();
    // a setting aside that cannot be written (a full disk) is said, and the change stays listed
    const full = vi.spyOn(session.sync, 'dismissRefused').mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    await u.click(within(list).getByRole('button', { name: ST.dismiss }));
    // the dialog names the change it sets aside, as the list does: its kind, when, whose
    const queued = (await session.outbox()).find((e) => e.entityId === refused)!;
    const named = `外す変更：世帯（変更 ${syncTimeText(queued.at)}・${session.user.displayName}さん）`;
    expect(within(list).getByText(named.slice('外す変更：'.length))).toBeInTheDocument();
    expect(within(screen.getByRole('dialog', { name: ST.dismissTitle })).getByText(named)).toBeInTheDocument();
    await u.click(within(screen.getByRole('dialog')).getByRole('button', { name: ST.dismiss }));
    expect(await screen.findByText(/^一覧から外せませんでした。もう一度お試しください（/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: ST.refusedTitle })).toBeInTheDocument();
    // nothing set aside, and the 閲覧記録 does not say it was
    expect((await session.accessLog()).some((e) => e.action === 'dismiss-refused')).toBe(false);
    full.mockRestore();
    await u.click(within(screen.getByRole('list', { name: ST.refusedTitle })).getByRole('button', { name: ST.dismiss }));
    await u.click(within(screen.getByRole('dialog')).getByRole('button', { name: ST.dismiss }));
    await waitFor(() => expect(screen.queryByRole('list', { name: ST.refusedTitle })).not.toBeInTheDocument());
    expect(await session.get('household', refused)).toBeDefined();
    expect((await session.outbox()).some((e) => e.entityId === refused)).toBe(false);
    // and the setting aside is in the 閲覧記録, with what was set aside
    const logged = (await session.accessLog()).filter((e) => e.action === 'dismiss-refused');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reason).toContain(refused);
  });

  it('offers no setting aside for a refused case entry: evidence stays queued, and the list says why', async () => {
    const hub = createFakeHub();
    const { session, engine } = await joinedOnScreen(hub);

    const entry = newId();
    await session.append('case-entry', entry, createSampleRecord());
    hub.refuseEntity(entry, 'writer', 'recordedBy.userId is not the pushing user');
    await engine.run();

    const list = await screen.findByRole('list', { name: ST.refusedTitle });
    expect(within(list).getByText(ST.evidenceStays)).toBeInTheDocument();
    expect(within(list).queryByRole('button', { name: ST.dismiss })).not.toBeInTheDocument();
    expect((await session.outbox()).some((e) => e.entityId === entry)).toBe(true);
  });

  it("[R4] says in words that a change was refused because the hub's admin withdrew the record, and that saving again does not help", async () => {
    const hub = createFakeHub();
    const { session, engine } = await joinedOnScreen(hub);

    const withdrawn = newId();
    await session.put('household', withdrawn, createSampleRecord(), 'create');
    // what the hub answers an edit of a record its admin withdrew (src/server/db/push.ts)
    hub.refuseEntity(withdrawn, 'invalid', `household ${withdrawn} was withdrawn by the hub's admin`);
    await engine.run();

    const list = await screen.findByRole('list', { name: ST.refusedTitle });
    expect(within(list).getByText(ST.refusedWithdrawn)).toBeInTheDocument();
    expect(within(list).getByText(ST.refusedWithdrawnAdvice)).toBeInTheDocument();
    expect(ST.refusedWithdrawnAdvice).toContain('保存し直しても受け付けられません');
    expect(within(list).queryByText(REFUSAL_LABELS.invalid)).not.toBeInTheDocument();
    expect(within(list).queryByText(ST.refusedAdvice.invalid)).not.toBeInTheDocument();
    // the hub's own words stay, for the admin, said to be in English
    expect(within(list).getByText('管理者向けの詳細（英語）')).toBeInTheDocument();
    expect(within(list).queryByText('サーバーからの説明')).not.toBeInTheDocument();
  });

  it('shows the open conflicts the last pull reported', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    hub.openConflicts = 2;
    await unlockedWithHub(hub);
    render(<SyncSection />);
    await fillJoinForm(user);
    expect(await screen.findByText(ST.conflicts(2))).toBeInTheDocument();
  });
});

describe('拠点サーバーと同期: records set aside [R3]', () => {
  it('[R3] says how many pulled records were set aside and why, while the rest synced', async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const good = newId();
    const malformed = newId();
    hub.write({ kind: 'household', entityId: good, officeId: null, withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: good })) });
    hub.write({ kind: 'household', entityId: 'poison.id with space', officeId: null, withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: 'poison.id with space' })) });
    const version = hub.write({ kind: 'household', entityId: malformed, officeId: null, withdrawn: false, payloadJson: JSON.stringify({ ...createHousehold({ id: malformed }), persons: 'not-a-list' }) });
    const { session } = await unlockedWithHub(hub);
    render(<SyncSection />);
    await fillJoinForm(user);
    await firstSyncDone();

    expect(await screen.findByText(ST.setAside(2))).toBeVisible();
    expect(screen.getByText(ST.setAsideReasons.id(1))).toBeVisible();
    expect(screen.getByText(ST.setAsideReasons.shape(1))).toBeVisible();
    expect(screen.queryByText(ST.setAsideReasons.json(0))).not.toBeInTheDocument();
    // Each one named so the admin can find it by its version (npm run admin -- list-records).
    expect(screen.getByText(ST.setAsideItem('世帯', version, ST.setAsideReasonWords.shape, 'persons'))).toBeInTheDocument();
    expect(await session.get('household', good)).toBeDefined();
  });
});

describe('signed out by the hub', () => {
  it('says the hub ended the sign-in, not that the person logged out, and names where to log in again', () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, signedOut: true, hub: 'aozora', problem: { code: 'forbidden', message: S.problem.forbidden, serverMessage: null } });
    render(<SyncSection />);
    expect(screen.getByText(ST.hubSignedOut)).toBeInTheDocument();
    expect(screen.queryByText(ST.aloneSignedOut)).toBeNull();
    expect(screen.getByText(S.problem.forbidden)).toHaveTextContent('「設定」の「拠点サーバーと同期」から、もう一度サインインしてください');
    expect(screen.getByRole('button', { name: ST.signInAgain })).toBeInTheDocument();
  });
});

describe('a sync problem in words', () => {
  it("adds the hub's words where they say more (a refusal's reason), not after a server error's own 「自動で再試行します」", () => {
    const joined = { ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator' as const };
    syncStatus.setState({ ...joined, problem: { code: 'server', message: S.problem.server, serverMessage: 'サーバーで問題が発生しました。もう一度お試しください。' } });
    const { unmount } = render(<SyncSection />);
    expect(screen.getByText(S.problem.server)).toBeInTheDocument();
    expect(screen.queryByText(/もう一度お試しください/)).toBeNull();
    unmount();
    syncStatus.setState({ ...joined, problem: { code: 'rejected', message: S.problem.rejected, serverMessage: '事業所IDがこの拠点にありません。' } });
    render(<SyncSection />);
    expect(screen.getByText(`${S.problem.rejected}（事業所IDがこの拠点にありません。）`)).toBeInTheDocument();
    expect(S.problem.rejected).toContain('変更はこの端末に保存されています');
  });

  it('says a busy hub (503 with Retry-After) in its own words, as waiting, not as a red server error', () => {
    const joined = { ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator' as const };
    const busy = 'サーバーが混み合っています。しばらくしてから自動でもう一度送ります。';
    syncStatus.setState({ ...joined, problem: { code: 'server', message: S.problem.server, serverMessage: busy, retryAfterSeconds: 2 } });
    render(<SyncSection />);
    expect(screen.getByText(busy).closest('[role]')).toHaveAttribute('role', 'status');
    expect(screen.queryByText(S.problem.server)).toBeNull();
  });
});

describe('a problem told to the admin', () => {
  it("folds the hub's detail and its request id (問い合わせ番号) under 「詳細（管理者に伝えてください）」, to be read out over the phone", async () => {
    const hub = createFakeHub();
    const user = hub.addUser();
    const vault = await setUpTestVault();
    useApp.setState({ vault: vault.vault, phase: 'unlocked', session: vault.session, users: [vault.session.user] });
    // the hub refuses the next push as a real hub does: its detail, and the id its log line carries
    const browser = hub.browser();
    let refuse = false;
    const refusal = { error: 'bad-request', message: '送信された内容が正しくありません。', detail: 'changes.0.payload: Invalid input: expected record, received string', requestId: '3f9a0c1e' };
    const fetch: typeof browser = async (input, init) =>
      refuse && input === API.push
        ? new Response(JSON.stringify(refusal), { status: 400, headers: { 'content-type': 'application/json', 'x-request-id': refusal.requestId } })
        : browser(input, init);
    const engine = createSyncEngine({ session: vault.session, fetch, locks: null, forgetInstall: vi.fn() });
    syncStatus.setState({ engine });
    await engine.refresh();
    render(<SyncSection />);
    const u = await fillJoinForm(user);
    await firstSyncDone();
    expect(screen.queryByText(S.details.summary)).toBeNull();

    refuse = true;
    await vault.session.put('household', newId(), createSampleRecord(), 'create');
    await u.click(screen.getByRole('button', { name: ST.syncNow }));
    expect(await screen.findByText(S.problem.rejected, { exact: false })).toBeInTheDocument();

    const details = screen.getByText(S.details.summary).closest('details')!;
    expect(details).not.toHaveAttribute('open');
    await u.click(screen.getByText(S.details.summary));
    expect(within(details).getByText(S.details.requestId).nextElementSibling).toHaveTextContent(/^3f9a0c1e$/);
    expect(within(details).getByText(S.details.code).nextElementSibling).toHaveTextContent(/^rejected$/);
    expect(within(details).getByText(S.details.detail).nextElementSibling).toHaveTextContent(
      `POST ${API.push} → 400 bad-request: changes.0.payload: Invalid input: expected record, received string`,
    );
  });

  it('shows no details when there is neither a detail nor a request id', () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator', problem: { code: 'server', message: S.problem.server, serverMessage: null } });
    render(<SyncSection />);
    expect(screen.getByText(S.problem.server)).toBeInTheDocument();
    expect(screen.queryByText(S.details.summary)).toBeNull();
  });
});

describe('the status line opens the sync section', () => {
  it('brings the section into view when the settings were already open, and on a tap while already there', async () => {
    const scrolled: Element[] = [];
    Object.defineProperty(Element.prototype, 'scrollIntoView', { value: function (this: Element) { scrolled.push(this); }, configurable: true });
    try {
      window.location.hash = '#/settings';
      render(
        <>
          <SyncStatusLine />
          <SyncSection />
        </>,
      );
      const section = screen.getByRole('heading', { name: ST.title }).closest('.scroll-target')!;
      expect(scrolled).toEqual([]);
      window.location.hash = '#/settings/sync';
      await waitFor(() => expect(scrolled).toContain(section));
      scrolled.length = 0;
      await userEvent.setup().click(screen.getByRole('link', { name: /^同期の状態/ }));
      expect(scrolled).toContain(section);
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
      window.location.hash = '';
    }
  });
});

describe('sync status line', () => {
  const joined: SyncStatus = { ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator' };

  it('says この端末のみ when the device never joined, and opens the sync settings when tapped', () => {
    render(<SyncStatusLine />);
    const line = screen.getByRole('link', { name: /^同期の状態/ });
    expect(line).toHaveTextContent(ST.lineAlone);
    expect(line).toHaveAttribute('href', '#/settings/sync');
  });

  it('shows changes waiting and the last sync in Japan time, and announces only the count and problems', () => {
    syncStatus.setState({ ...joined, pending: 3, lastSyncAt: '2026-11-22T17:14:00.000Z' });
    render(<SyncStatusLine />);
    expect(screen.getByRole('link', { name: /^同期の状態/ })).toHaveTextContent('未送信 3件・最終同期 11/23 02:14');
    expect(screen.getByRole('status')).toHaveTextContent(/^未送信 3件$/);
    // a run and the time it ends change the line, not what is announced
    act(() => syncStatus.setState({ running: true }));
    expect(screen.getByRole('status')).toHaveTextContent(/^未送信 3件$/);
    act(() => syncStatus.setState({ running: false, pending: 0, lastSyncAt: '2026-11-22T17:15:00.000Z' }));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    act(() => syncStatus.setState({ problem: { code: 'offline', message: '', serverMessage: null } }));
    expect(screen.getByRole('status')).toHaveTextContent(/^オフライン$/);
  });

  it('puts the problem in words', () => {
    // the count first: cut short on a narrow phone, the line still says how many wait
    expect(syncLineText({ ...joined, signedOut: true, pending: 2 }).text).toBe('未送信 2件・再度サインインが必要です');
    expect(syncLineText({ ...joined, signedOut: true, needsSignIn: true, pending: 1 }).text).toBe('未送信 1件・この端末でサインインが必要');
    expect(syncLineText({ ...joined, openConflicts: 2, lastSyncAt: '2026-11-22T17:14:00.000Z' })).toEqual({ text: '重なり 2件・最終同期 11/23 02:14', problem: true });
    expect(syncLineText({ ...joined, evidenceMismatches: ['e-1'], lastSyncAt: '2026-11-22T17:14:00.000Z' })).toEqual({ text: '記録の食い違い 1件・最終同期 11/23 02:14', problem: true });
    // [V2] records of a kind this app does not know were left out: the app must be updated to receive them
    expect(syncLineText({ ...joined, unknownKinds: ['care-plan'], lastSyncAt: '2026-11-22T17:14:00.000Z' })).toEqual({ text: 'アプリの更新が必要・最終同期 11/23 02:14', problem: true });
    expect(syncLineText({ ...joined, pending: 3, heldFor: '当番 次郎', lastSyncAt: null }).text).toBe('未送信 3件・当番 次郎さんのサインイン待ち・未同期');
    // an author whose name the phone does not know is not 「別の人さん」
    expect(syncLineText({ ...joined, pending: 3, heldFor: '', lastSyncAt: null }).text).toBe('未送信 3件・サインインしていない人の変更が送信待ち・未同期');
    expect(syncLineText({ ...joined, problem: { code: 'offline', message: '', serverMessage: null } }).text).toBe('オフライン');
    // days without the hub: the line says since when the phone knows nothing new
    expect(syncLineText({ ...joined, pending: 240, problem: { code: 'unreachable', message: '', serverMessage: null }, lastSyncAt: '2026-11-22T17:14:00.000Z' })).toEqual({
      text: '未送信 240件・サーバーに接続できません・最終同期 11/23 02:14',
      problem: true,
    });
    expect(syncLineText({ ...joined, problem: { code: 'server', message: '', serverMessage: null }, refused: 1 })).toEqual({
      text: 'サーバーエラー・送信不可 1件',
      problem: true,
    });
    // a hub shedding load (503, Retry-After) is waited for, not a server failure
    expect(syncLineText({ ...joined, pending: 2, problem: { code: 'server', message: '', serverMessage: null, retryAfterSeconds: 2 } })).toEqual({
      text: '未送信 2件・サーバー混雑・自動で再送します',
      problem: false,
    });
    expect(syncLineText({ ...joined, lastSyncAt: '2026-11-22T17:14:00.000Z', setAside: { total: 2, byReason: { id: 1, json: 0, shape: 1 } } })).toEqual({
      text: '受信保留 2件・最終同期 11/23 02:14',
      problem: true,
    });
  });
});

describe('the device clock against the hub [E7]', () => {
  const joined: SyncStatus = { ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator', lastSyncAt: '2026-12-05T10:00:00.000Z' };
  const measuredAt = '2026-12-05T10:00:00.000Z';
  const fast =
    'この端末の時計がサーバーより約10分進んでいます。記録の時刻が正しく残るよう、端末の日付と時刻を「自動設定」にしてください。';

  it('[E7] says in the sync section and the status line how far the clock is off, in Japan time, until it is right again', async () => {
    syncStatus.setState({ ...joined, clockOffset: { offsetMs: 10 * 60_000 + 20_000, uncertaintyMs: 50, measuredAt } });
    render(
      <>
        <SyncStatusLine />
        <SyncSection />
      </>,
    );
    expect(screen.getByText(fast)).toBeVisible();
    expect(screen.getByText('拠点サーバーの時刻 12/5 19:00（日本時間）に確認しました。')).toBeVisible();
    const line = screen.getByRole('link', { name: /^同期の状態/ });
    expect(line).toHaveTextContent(/^時計が約10分進んでいます・最終同期 12\/5 19:00$/);
    expect(line).toHaveClass('sync-line--problem');

    act(() => syncStatus.setState({ clockOffset: { offsetMs: -3 * 60_000, uncertaintyMs: 50, measuredAt } }));
    expect(
      screen.getByText('この端末の時計がサーバーより約3分遅れています。記録の時刻が正しく残るよう、端末の日付と時刻を「自動設定」にしてください。'),
    ).toBeVisible();
    expect(line).toHaveTextContent(/^時計が約3分遅れています・/);
    // with changes waiting, their count leads: the narrow line cut the clock's words and hid it
    act(() => syncStatus.setState({ pending: 4 }));
    expect(line).toHaveTextContent(/^未送信 4件・時計が約3分遅れています・/);
    act(() => syncStatus.setState({ pending: 0 }));

    // Back within the margin: nothing is said.
    act(() => syncStatus.setState({ clockOffset: { offsetMs: 90_000, uncertaintyMs: 50, measuredAt } }));
    expect(screen.queryByText(/この端末の時計がサーバーより/)).not.toBeInTheDocument();
    expect(line).toHaveTextContent('最終同期 12/5 19:00');
    expect(line).not.toHaveClass('sync-line--problem');
  });

  it('[E7] the status line words hours and days as such', () => {
    expect(syncLineText({ ...joined, clockOffset: { offsetMs: 9 * 3600_000, uncertaintyMs: 0, measuredAt } }).text).toMatch(/^時計が約9時間進んでいます・/);
    expect(syncLineText({ ...joined, clockOffset: { offsetMs: -3 * 86_400_000, uncertaintyMs: 0, measuredAt } }).text).toMatch(/^時計が約3日遅れています・/);
  });
});

describe('拠点サーバーと同期: evidence the hub holds otherwise', () => {
  it('names each entry that differs by its case, with a link to it, not only how many', async () => {
    const { session } = await setUpTestVault();
    const entry = await chainNext([], { id: 'e-1', caseId: 'case-1', recordedAt: '2026-12-01T15:10:00.000Z', recordedBy: { userId: session.user.id, name: '夜勤 太郎' }, deviceId: session.deviceId, body: openBody({ subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' } }) });
    useApp.setState({ vault: null, phase: 'unlocked', session, users: [session.user], caseEntries: new Map([['case-1', [entry]]]) });
    syncStatus.setState({ ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜勤 太郎', role: 'coordinator', evidenceMismatches: ['e-1', 'e-gone'] });
    render(<SyncSection />);
    const link = await screen.findByRole('link', { name: '佐藤 陽太・要請（2026年12月2日 00:10 記録）・記録ID case-1' });
    expect(link).toHaveAttribute('href', '#/cases/case-1');
    expect(screen.getByText('この端末にない事例の記録（エントリID e-gone）')).toBeInTheDocument();
  });
});

describe('拠点サーバーと同期: records of a kind this app does not know [V2]', () => {
  it('says what was not received and that updating the app brings it', async () => {
    const { session } = await setUpTestVault();
    useApp.setState({ vault: null, phase: 'unlocked', session, users: [session.user] });
    syncStatus.setState({ ...initialSyncStatus, joined: true, hub: 'aozora', displayName: '夜勤 太郎', role: 'coordinator', unknownKinds: ['care-plan'] });
    render(<SyncSection />);
    expect(screen.getByText(ST.unknownKinds)).toBeVisible();
    expect(ST.unknownKinds).toContain('アプリを最新にしてください');
  });
});

describe('a change refused for a clock that ran ahead [E7]', () => {
  const refusal = { reason: 'clock' as const, detail: 'reportedAt after the hub clock', at: '2026-12-01T13:00:00.000Z' };

  it('says a bed report is not sent again by itself, and what to do: it waited, as the words promised, and never reached the coordinator', () => {
    expect(refusalWords(refusal, 'facility').advice).toMatch(/自動では送り直しません.*もう一度報告/);
    expect(refusalWords(refusal, 'facility').advice).not.toMatch(/追いつくと/);
  });

  it('keeps the promise for a case entry, which is sent again once the hub’s clock catches up', () => {
    expect(refusalWords(refusal, 'case-entry').advice).toMatch(/追いつくと.*1回だけ自動で送り直します/);
  });
});
