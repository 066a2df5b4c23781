/**
 * Text typed into a case but not yet written survives an idle lock: the real vault (Dexie over
 * fake-indexeddb, WebCrypto) and the store's own setUp / lock / unlock; the screen is unmounted
 * while locked, as app.tsx does.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { enterText } from '../../../test/factories/enter-text';
import { createFacility } from '../../../test/factories/facility';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import type { CaseEntry, OpenBody } from '../../domain/emergency-case';
import { createVault } from '../../vault/vault';
import { CasesScreen } from './cases-screen';
import { contactDraftKey } from './contacts';
import { personalDraftKey } from '../../vault/drafts';

const PASSPHRASE = 'あおぞら拠点-当番用';
const NIGHT_PASSPHRASE = 'よる当番-ひかり-2026';
/** The call note's draft key of whoever is unlocked now. */
const noteKey = (caseId: string) => personalDraftKey(contactDraftKey(caseId), useApp.getState().session?.user.id);
const initial = useApp.getState();
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2010-05-01' })] });

afterEach(() => {
  useApp.getState().session?.lock();
  useApp.setState(initial, true);
  window.location.hash = '';
});

function Shell() {
  const phase = useApp((s) => s.phase);
  return phase === 'unlocked' ? <CasesScreen /> : <p>ロック中</p>;
}

/** A set-up vault holding one household, one facility and one open case, with its screen shown. */
async function openCase() {
  const vault = createVault(`case-drafts-${crypto.randomUUID()}`);
  const app = useApp.getState();
  await app.start(vault);
  await app.setUp('拠点 花子', PASSPHRASE);
  await app.saveHousehold(household, 'create');
  await app.saveFacility(createFacility({ id: 'fac-1', name: 'あおぞら短期入所' }), 'create');
  const open: OpenBody = {
    type: 'open',
    officeId: '',
    subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' },
    // The call came in ten minutes ago: the manual contact's time (to the minute) is after it.
    requestedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    requestedAtReason: '電話対応を優先し、終了後に記録した',
    category: '介護者の急病・けが',
    detail: '',
    caller: '',
    callerPhone: '',
  };
  const kase = await app.appendCaseEntry(null, open);
  const userId = useApp.getState().session!.user.id;
  window.location.hash = `#/cases/${kase.id}`;
  const user = userEvent.setup();
  render(<Shell />);
  await screen.findByText(/改ざんなし/);
  return {
    user,
    caseId: kase.id,
    async lockAndUnlock(as: { id: string; passphrase: string } = { id: userId, passphrase: PASSPHRASE }) {
      await act(() => useApp.getState().lock('idle'));
      expect(screen.getByText('ロック中')).toBeInTheDocument();
      await act(() => useApp.getState().unlock(as.id, as.passphrase));
      // An added colleague's first unlock replaces the passphrase they were given (must-change-screen.tsx).
      if (useApp.getState().mustChangePassphrase) {
        await act(async () => {
          await useApp.getState().session!.changePassphrase(as.passphrase, `${as.passphrase}-own`);
          await useApp.getState().passphraseChanged();
        });
      }
      await screen.findByText(/改ざんなし/);
    },
    /** A colleague who takes the shared phone over (scenario 3), with their own passphrase. */
    async addColleague() {
      const night = await useApp.getState().session!.addUser(PASSPHRASE, '夜勤 次郎', NIGHT_PASSPHRASE);
      return { id: night.id, passphrase: NIGHT_PASSPHRASE };
    },
    async entries(): Promise<CaseEntry[]> {
      const list = await useApp.getState().session!.list<CaseEntry>('case-entry');
      return list.map((r) => r.data).sort((a, b) => a.index - b.index);
    },
  };
}

describe('case drafts across an idle lock', () => {
  it('keeps a 退所 note typed when the phone locks, and opens the form again with it after the unlock', async () => {
    const { user, caseId, lockAndUnlock } = await openCase();
    const app = useApp.getState();
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    await act(async () => {
      await app.appendCaseEntry(caseId, { type: 'contact', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', facilityOfficeNumber: '', shortStay: true, contactedAt: at, method: '電話', result: '受入可', note: '' });
      await app.appendCaseEntry(caseId, { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: at, note: '' });
      await app.appendCaseEntry(caseId, { type: 'close', closedAt: new Date().toISOString() });
    });
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    await enterText(user, within(screen.getByRole('form', { name: '退所を記録' })).getByLabelText(/備考/), '家族が迎えに来た、薬は持ち帰り');

    await lockAndUnlock();
    const form = await screen.findByRole('form', { name: '退所を記録' });
    expect(within(form).getByLabelText(/備考/)).toHaveValue('家族が迎えに来た、薬は持ち帰り');
    expect(within(form).getByText('保存していない入力を復元しました')).toBeInTheDocument();
  });

  it('keeps a call note typed mid-call and opens it again by itself after unlock; the update waits meanwhile', async () => {
    const { user, caseId, lockAndUnlock, entries } = await openCase();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-1');
    await user.selectOptions(screen.getByLabelText('結果'), '折り返し待ち');
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認中、折り返し2時半');
    expect(useApp.getState().unsaved.has(noteKey(caseId))).toBe(true);

    await lockAndUnlock();
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認中、折り返し2時半');
    expect(screen.getByLabelText('連絡先の事業所')).toHaveValue('fac-1');
    expect(screen.getByLabelText('結果')).toHaveValue('折り返し待ち');
    await waitFor(() => expect(useApp.getState().unsaved.has(noteKey(caseId))).toBe(true));

    await user.click(screen.getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument());
    expect((await entries()).at(-1)?.body).toMatchObject({ type: 'contact', facilityId: 'fac-1', result: '折り返し待ち', note: '看護師に確認中、折り返し2時半' });
    expect(await useApp.getState().session!.listDraftKeys()).toEqual([]);
    expect(useApp.getState().unsaved.size).toBe(0);
  });

  it('a colleague taking the phone over is not offered the call note left unsaved, so it is never recorded under their name', async () => {
    const { user, caseId, lockAndUnlock, addColleague, entries } = await openCase();
    const day = useApp.getState().session!.user;
    const night = await addColleague();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-1');
    await user.selectOptions(screen.getByLabelText('結果'), '折り返し待ち');
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認中、折り返し2時半');

    await lockAndUnlock(night);
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    // the form opened by hand is the night coordinator's own, empty
    expect(screen.getByLabelText('メモ')).toHaveValue('');
    await act(async () => {
      await useApp.getState().session!.listDraftKeys();
    });
    expect(screen.getByLabelText('メモ')).toHaveValue('');
    expect(screen.queryByText('保存していない入力を復元しました')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));

    // the day coordinator's note is still theirs when they unlock again and open the form
    await lockAndUnlock({ id: day.id, passphrase: PASSPHRASE });
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認中、折り返し2時半');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument());
    expect((await entries()).at(-1)).toMatchObject({ body: { type: 'contact', note: '看護師に確認中、折り返し2時半' }, recordedBy: { userId: day.id } });
  });

  it('破棄 of a restored call note asks first; only 破棄する empties the form and drops the draft', async () => {
    const { user, caseId, lockAndUnlock } = await openCase();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認中、折り返し2時半');
    await lockAndUnlock();
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '破棄' }));
    const ask = screen.getByRole('dialog', { name: '復元した入力を破棄しますか' });
    expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認中、折り返し2時半');
    await user.click(within(ask).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.getByLabelText('メモ')).toHaveValue(''));
    await waitFor(async () => expect(await useApp.getState().session!.listDraftKeys()).not.toContain(noteKey(caseId)));
  });

  it('reopens the outcome form by itself after unlock, and keeps the claim note on the page', async () => {
    const { user, lockAndUnlock } = await openCase();
    await user.click(screen.getByRole('button', { name: '対応結果を記録' }));
    await enterText(user, screen.getByLabelText(/内容・メモ/), '叔母宅で一泊');
    await enterText(user, screen.getByLabelText('備考'), '計画相談は他事業所');

    await lockAndUnlock();
    // the form opens, then its draft is read into it: on a busy machine the two are seen apart
    await waitFor(() => expect(screen.getByLabelText(/内容・メモ/)).toHaveValue('叔母宅で一泊'));
    await waitFor(() => expect(screen.getByLabelText('備考')).toHaveValue('計画相談は他事業所'));
    expect(screen.getAllByText('保存していない入力を復元しました')).toHaveLength(2);

    // the restored note is asked about before it goes (入力内容を破棄しますか)
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(async () => expect(await useApp.getState().session!.listDraftKeys()).toEqual([expect.stringMatching(/^case-claim-facts:/)]));
  });

  it('keeps a correction reason for the same entry until the correction is written', async () => {
    const { user, lockAndUnlock, entries } = await openCase();
    await user.click(screen.getByRole('button', { name: '訂正' }));
    await enterText(user, within(screen.getByRole('dialog')).getByLabelText(/訂正の理由/), '区分の選択を誤った');

    await lockAndUnlock();
    await user.click(screen.getByRole('button', { name: '訂正' }));
    const dialog = screen.getByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText(/訂正の理由/)).toHaveValue('区分の選択を誤った'));
    await user.click(within(dialog).getByRole('button', { name: '訂正を記録' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect((await entries()).at(-1)?.body).toMatchObject({ type: 'correction', reason: '区分の選択を誤った' });
    expect(await useApp.getState().session!.listDraftKeys()).toEqual([]);
  });

  it('a lock that lands just after a call note is written does not bring it back unsaved, to be recorded twice', async () => {
    const { user, caseId, entries } = await openCase();
    const userId = useApp.getState().session!.user.id;
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-1');
    await user.selectOptions(screen.getByLabelText('結果'), '受入可');
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認済み');
    await waitFor(async () => expect(await useApp.getState().session!.listDraftKeys()).toContain(noteKey(caseId)));

    // The entry is written; the lock (idle, another tab, the OS) comes before the form could close.
    const real = useApp.getState().appendCaseEntry;
    useApp.setState({
      appendCaseEntry: async (...args) => {
        const kase = await real(...args);
        await useApp.getState().lock('idle');
        return kase;
      },
    });
    await user.click(screen.getByRole('button', { name: '記録する' }));
    await screen.findByText('ロック中');
    useApp.setState({ appendCaseEntry: real });

    await act(() => useApp.getState().unlock(userId, PASSPHRASE));
    await screen.findByText(/改ざんなし/);
    const calls = async () => (await entries()).filter((e) => e.body.type === 'contact');
    expect(await calls()).toHaveLength(1);
    expect(screen.queryByText('保存していない入力を復元しました')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument();
    expect(await useApp.getState().session!.listDraftKeys()).toEqual([]);
  });
});

/** As the back button does: the hash changes and the screen it names is drawn. */
async function goTo(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

const draftKeys = () => useApp.getState().session!.listDraftKeys();

describe('drafts left on a case (the screen left by back, the app closed and opened again)', () => {
  it('names a call note left unsaved on its row and atop the case; 「続ける」 opens it with its text', async () => {
    const { user, caseId, entries } = await openCase();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-1');
    await user.selectOptions(screen.getByLabelText('結果'), '受入可');
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認済み、21時に到着');
    await waitFor(async () => expect(await draftKeys()).toContain(noteKey(caseId)));

    // Android's back: the list, then the case again; nothing reopens by itself (no lock came between)
    await goTo('#/cases');
    const row = await screen.findByRole('link', { name: /佐藤 陽太/ });
    expect(await within(row).findByText('入力途中あり')).toBeInTheDocument();
    await goTo(`#/cases/${caseId}`);
    expect(await screen.findByText('入力途中の記録があります（通話メモ）')).toBeInTheDocument();
    expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '通話メモを続ける' }));
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認済み、21時に到着'));
    expect(screen.getByLabelText('結果')).toHaveValue('受入可');
    expect(screen.queryByText('入力途中の記録があります（通話メモ）')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument());
    expect((await entries()).at(-1)?.body).toMatchObject({ type: 'contact', result: '受入可', note: '看護師に確認済み、21時に到着' });
    expect(screen.queryByText(/入力途中の記録があります/)).not.toBeInTheDocument();
    expect(await draftKeys()).toEqual([]);
  });

  it('names an outcome and a correction left unsaved, and each 「続ける」 opens its own form with its text', async () => {
    const { user, caseId, entries } = await openCase();
    await user.click(screen.getByRole('button', { name: '対応結果を記録' }));
    await enterText(user, screen.getByLabelText(/内容・メモ/), '叔母宅で一泊');
    await user.click(screen.getByRole('button', { name: '訂正' }));
    await enterText(user, within(screen.getByRole('dialog')).getByLabelText(/訂正の理由/), '区分の選択を誤った');
    await waitFor(async () => expect((await draftKeys()).filter((k) => k.startsWith('case-outcome:') || k.startsWith('case-correction:'))).toHaveLength(2));

    await goTo('#/cases');
    await screen.findByText('入力途中あり');
    await goTo(`#/cases/${caseId}`);
    expect(await screen.findByText('入力途中の記録があります（対応結果）')).toBeInTheDocument();
    expect(screen.getByText('入力途中の記録があります（要請の訂正）')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '要請の訂正を続ける' }));
    const dialog = screen.getByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText(/訂正の理由/)).toHaveValue('区分の選択を誤った'));
    await user.click(within(dialog).getByRole('button', { name: '訂正を記録' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect((await entries()).at(-1)?.body).toMatchObject({ type: 'correction', reason: '区分の選択を誤った' });
    expect(screen.queryByText('入力途中の記録があります（要請の訂正）')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '対応結果を続ける' }));
    await waitFor(() => expect(screen.getByLabelText(/内容・メモ/)).toHaveValue('叔母宅で一泊'));
    expect(screen.getByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.queryByText(/入力途中の記録があります/)).not.toBeInTheDocument();
  });

  it('a colleague who unlocks the shared phone is not told of the call note left unsaved; its writer is, on their next unlock', async () => {
    const { user, caseId, lockAndUnlock, addColleague } = await openCase();
    const day = useApp.getState().session!.user;
    const night = await addColleague();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認中、折り返し2時半');
    await waitFor(async () => expect(await draftKeys()).toContain(noteKey(caseId)));

    await lockAndUnlock(night);
    await goTo('#/cases');
    await screen.findByRole('link', { name: /佐藤 陽太/ });
    await goTo(`#/cases/${caseId}`);
    await screen.findByText(/改ざんなし/);
    // the read the screen makes is done: what it would name is on the screen by now
    await act(async () => {
      await draftKeys();
    });
    expect(screen.queryByText(/入力途中/)).not.toBeInTheDocument();
    await goTo('#/cases');
    await screen.findByRole('link', { name: /佐藤 陽太/ });
    await act(async () => {
      await draftKeys();
    });
    expect(screen.queryByText('入力途中あり')).not.toBeInTheDocument();

    await goTo(`#/cases/${caseId}`);
    await lockAndUnlock({ id: day.id, passphrase: PASSPHRASE });
    expect(await screen.findByText('入力途中の記録があります（通話メモ）')).toBeInTheDocument();
    await goTo('#/cases');
    expect(await screen.findByText('入力途中あり')).toBeInTheDocument();
  });

  it('a call note left on a case closed since says so, and 「破棄」 asks before it drops the draft', async () => {
    const { user, caseId } = await openCase();
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    await enterText(user, screen.getByLabelText('メモ'), '看護師に確認中');
    await waitFor(async () => expect(await draftKeys()).toContain(noteKey(caseId)));
    await goTo('#/cases');
    await act(async () => {
      await useApp.getState().appendCaseEntry(caseId, { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' });
      await useApp.getState().appendCaseEntry(caseId, { type: 'close', closedAt: new Date().toISOString() });
    });

    await goTo(`#/cases/${caseId}`);
    expect(await screen.findByText(/^入力途中の記録があります（通話メモ）。この対応は終了したため/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '通話メモを続ける' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '破棄' }));
    const ask = screen.getByRole('dialog', { name: '復元した入力を破棄しますか' });
    await user.click(within(ask).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByText(/入力途中の記録があります/)).not.toBeInTheDocument());
    expect(await draftKeys()).not.toContain(noteKey(caseId));
  });
});
