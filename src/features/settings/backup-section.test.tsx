import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import { formatJapanDateTime } from '../../domain/japan-time';
import { inspectBackup } from '../../vault/backup';
import { vaultErrorMessage } from '../../vault/errors';
import { createVault } from '../../vault/vault';
import { BackupSection, backupFileName } from './backup-section';
import { BT } from './backup-text';

const freshName = () => `backup-ui-test-${crypto.randomUUID()}`;
const UNLOCK = 'yoru-no-denwa-2026';
const BACKUP = 'kinko-no-kagi-2026';

async function unlockedRealVault(displayName = '夜間 太郎') {
  await useApp.getState().start(createVault(freshName()));
  await useApp.getState().setUp(displayName, UNLOCK);
  return useApp.getState().session!;
}

/** The same backup with another 作成日時 in its clear header, its SHA-256 trailer made again so that it reads as whole. */
async function restamped(bytes: Uint8Array, createdAt: string): Promise<Uint8Array> {
  const end = bytes.indexOf(0x0a);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, end))) as Record<string, unknown>;
  const head = new TextEncoder().encode(JSON.stringify({ ...header, createdAt }));
  const body = bytes.subarray(end, bytes.length - 32);
  const unsigned = new Uint8Array(head.length + body.length);
  unsigned.set(head);
  unsigned.set(body, head.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', unsigned));
  const out = new Uint8Array(unsigned.length + digest.length);
  out.set(unsigned);
  out.set(digest, unsigned.length);
  return out;
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});

afterEach(() => {
  vi.restoreAllMocks();
  useApp.getState().vault?.close();
});

describe('backup file name', () => {
  it('is in Japan time', () => {
    expect(backupFileName(new Date('2026-11-22T17:10:00.000Z'))).toBe('kyoten-backup-20261123-0210.kyoten');
    expect(backupFileName(new Date('2026-12-31T15:05:00.000Z'))).toBe('kyoten-backup-20270101-0005.kyoten');
  });
});

describe('settings: create a backup', () => {
  it('asks for a backup passphrase twice with the warning, shows progress, and downloads the file', async () => {
    const user = userEvent.setup();
    const session = await unlockedRealVault();
    await useApp.getState().saveHousehold(createHousehold({ persons: [createPerson({ name: '佐藤 陽太' })] }), 'create');
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => (blobs.push(blob), 'blob:backup'));
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const exportBackup = session.exportBackup.bind(session);
    vi.spyOn(session, 'exportBackup').mockImplementation(async (c, p) => (await gate, exportBackup(c, p)));
    render(<BackupSection />);

    await user.click(screen.getByRole('button', { name: BT.create }));
    const form = screen.getByRole('form', { name: BT.createTitle });
    expect(within(form).getByText(BT.warning)).toBeVisible();
    const submit = within(form).getByRole('button', { name: BT.createSubmit });
    expect(submit).toBeDisabled();
    // The current passphrase comes first, before the two backup passphrase fields.
    const fields = within(form).getAllByLabelText(/パスフレーズ/);
    expect(fields.map((f) => f.getAttribute('autocomplete'))).toEqual(['off', 'new-password', 'new-password']);
    expect(fields[0]).toBe(within(form).getByLabelText(BT.currentPassphrase));
    await user.type(within(form).getByLabelText(BT.passphrase), BACKUP);
    await user.type(within(form).getByLabelText(BT.passphraseConfirm), `${BACKUP}!`);
    await user.click(within(form).getByLabelText(BT.acknowledge));
    await user.click(submit);
    expect(within(form).getByText('確認用のパスフレーズが一致しません。')).toBeVisible();
    expect(within(form).getByText(BT.currentRequired)).toBeVisible();
    expect(session.exportBackup).not.toHaveBeenCalled();

    await user.type(within(form).getByLabelText(BT.currentPassphrase), UNLOCK);
    // the unlock passphrase is not the backup's: whoever restores the file would learn it
    for (const field of [BT.passphrase, BT.passphraseConfirm]) {
      await user.clear(within(form).getByLabelText(field));
      await user.type(within(form).getByLabelText(field), UNLOCK);
    }
    await user.click(submit);
    expect(within(form).getByText(/^あなたの解錠用のパスフレーズと同じです。/)).toBeVisible();
    expect(session.exportBackup).not.toHaveBeenCalled();
    await user.clear(within(form).getByLabelText(BT.passphrase));
    await user.type(within(form).getByLabelText(BT.passphrase), BACKUP);

    await user.clear(within(form).getByLabelText(BT.passphraseConfirm));
    await user.type(within(form).getByLabelText(BT.passphraseConfirm), BACKUP);
    await user.click(submit);
    expect(within(form).getByRole('button', { name: BT.creating })).toBeDisabled();
    expect(within(form).getByRole('status')).toHaveTextContent(BT.creating);
    release();

    expect(await screen.findByText(/を作成しました。/, {}, { timeout: 10_000 })).toBeVisible();
    const fileName = clicked[0]!;
    expect(screen.getByText(BT.created(fileName))).toBeVisible();
    expect(fileName).toMatch(/^kyoten-backup-\d{8}-\d{4}\.kyoten$/);
    expect(clicked).toHaveLength(1);
    expect(session.exportBackup).toHaveBeenCalledWith(UNLOCK, BACKUP);
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
    expect((await inspectBackup(bytes)).deviceId).toBe(session.deviceId);
    expect(Buffer.from(bytes).includes(Buffer.from('佐藤 陽太'))).toBe(false);
    expect((await session.accessLog()).at(-1)).toMatchObject({ action: 'export-backup', householdId: null });
  });

  it('refuses a wrong current passphrase beside its field, and downloads nothing', async () => {
    const user = userEvent.setup();
    const session = await unlockedRealVault();
    const createObjectURL = vi.fn(() => 'blob:backup');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const exportBackup = vi.spyOn(session, 'exportBackup');
    render(<BackupSection />);

    await user.click(screen.getByRole('button', { name: BT.create }));
    const form = screen.getByRole('form', { name: BT.createTitle });
    const current = within(form).getByLabelText(BT.currentPassphrase);
    await user.type(current, 'machigai-no-kagi');
    await user.type(within(form).getByLabelText(BT.passphrase), BACKUP);
    await user.type(within(form).getByLabelText(BT.passphraseConfirm), BACKUP);
    await user.click(within(form).getByLabelText(BT.acknowledge));
    await user.click(within(form).getByRole('button', { name: BT.createSubmit }));

    expect(await within(form).findByText(vaultErrorMessage('wrong-passphrase'), {}, { timeout: 10_000 })).toBeVisible();
    expect(current).toHaveAccessibleDescription(expect.stringContaining(vaultErrorMessage('wrong-passphrase')));
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(exportBackup).toHaveBeenCalledWith('machigai-no-kagi', BACKUP);
    expect(createObjectURL).not.toHaveBeenCalled();
    expect(click).not.toHaveBeenCalled();
    expect(screen.queryByText(/を作成しました。/)).toBeNull();
    expect((await session.accessLog()).map((e) => e.action)).toEqual(['unlock']);
    // The form stays open for another try.
    expect(within(form).getByRole('button', { name: BT.createSubmit })).toBeEnabled();
  });
});

describe('settings: restore a backup', () => {
  it('shows what the file is, asks before writing, reports the counts and loads the records', async () => {
    const user = userEvent.setup();
    // The old phone: one household, exported.
    const old = await unlockedRealVault('旧端末 花子');
    await useApp.getState().saveHousehold(createHousehold({ persons: [createPerson({ name: '佐藤 陽太' })] }), 'create');
    const bytes = await old.exportBackup(UNLOCK, BACKUP);
    const info = await inspectBackup(bytes);
    useApp.getState().vault?.close();
    useApp.setState(useApp.getInitialState(), true);

    // The new phone, another person.
    const session = await unlockedRealVault('新端末 次郎');
    render(<BackupSection />);
    await user.click(screen.getByRole('button', { name: BT.restore }));
    const form = screen.getByRole('form', { name: BT.restoreTitle });
    await user.upload(within(form).getByLabelText(BT.file), new File([bytes as BlobPart], 'kyoten-backup-20261123-0210.kyoten'));
    expect(await within(form).findByText(formatJapanDateTime(info.createdAt))).toBeVisible();
    expect(within(form).getByText(info.deviceId.slice(0, 8))).toBeVisible();

    // A wrong passphrase: said beside the field, nothing written.
    await user.type(within(form).getByLabelText(BT.restorePassphrase), 'machigai-no-kagi');
    await user.click(within(form).getByRole('button', { name: BT.restoreSubmit }));
    const dialog = screen.getByRole('dialog', { name: BT.confirmTitle });
    expect(within(dialog).getByText(BT.confirmBody(formatJapanDateTime(info.createdAt)))).toBeVisible();
    await user.click(within(dialog).getByRole('button', { name: BT.confirm }));
    expect(await within(form).findByText(vaultErrorMessage('backup-passphrase'), {}, { timeout: 10_000 })).toBeVisible();
    expect(await session.list('household')).toEqual([]);

    // Cancelling the confirmation writes nothing either.
    await user.clear(within(form).getByLabelText(BT.restorePassphrase));
    await user.type(within(form).getByLabelText(BT.restorePassphrase), BACKUP);
    await user.click(within(form).getByRole('button', { name: BT.restoreSubmit }));
    await user.click(within(screen.getByRole('dialog', { name: BT.confirmTitle })).getByRole('button', { name: BT.cancel }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await session.list('household')).toEqual([]);

    await user.click(within(form).getByRole('button', { name: BT.restoreSubmit }));
    await user.click(within(screen.getByRole('dialog', { name: BT.confirmTitle })).getByRole('button', { name: BT.confirm }));
    const counts = { household: 1, facility: 0, office: 0, 'case-entry': 0, 'bonus-coordinator': 0, 'bonus-split': 0, 'bonus-count': 0, 'bonus-price': 0, 'month-close': 0, 'trial-stay': 0 };
    const report = BT.restored({ counts, accessLog: 1, createdBy: '旧端末 花子', createdAt: info.createdAt });
    expect(report).toBe('旧端末 花子さんが作成したバックアップを復元しました：世帯 1件、短期入所事業所 0件、相談支援事業所 0件、対応記録 0件、閲覧記録 1件。');
    expect(await screen.findByText(report, {}, { timeout: 10_000 })).toBeVisible();
    expect([...useApp.getState().households.values()].map((h) => h.persons[0]?.name)).toEqual(['佐藤 陽太']);
    // the 閲覧記録 says whose file came onto the phone, made when and where
    expect((await session.accessLog()).at(-1)).toMatchObject({
      action: 'restore-backup',
      householdId: null,
      reason: `${formatJapanDateTime(info.createdAt)}に旧端末 花子が作成したバックアップ（端末 ${info.deviceId.slice(0, 8)}）`,
    });

    // Once it holds records, this device refuses a second restore.
    await user.click(screen.getByRole('button', { name: BT.restore }));
    const again = screen.getByRole('form', { name: BT.restoreTitle });
    await user.upload(within(again).getByLabelText(BT.file), new File([bytes as BlobPart], 'backup.kyoten'));
    await within(again).findByText(formatJapanDateTime(info.createdAt));
    await user.type(within(again).getByLabelText(BT.restorePassphrase), BACKUP);
    await user.click(within(again).getByRole('button', { name: BT.restoreSubmit }));
    await user.click(within(screen.getByRole('dialog', { name: BT.confirmTitle })).getByRole('button', { name: BT.confirm }));
    expect(await within(again).findByText('この端末にはすでに記録があります。復元は新しい端末で行ってください。', {}, { timeout: 10_000 })).toBeVisible();
    expect(await session.list('household')).toHaveLength(1);
  });

  it('shows and confirms the file chosen last, though a file chosen before it is read after it', async () => {
    const user = userEvent.setup();
    const session = await unlockedRealVault();
    const first = await session.exportBackup(UNLOCK, BACKUP);
    const second = await restamped(first, '2026-11-20T01:00:00.000Z');
    const [firstAt, secondAt] = [formatJapanDateTime((await inspectBackup(first)).createdAt), formatJapanDateTime('2026-11-20T01:00:00.000Z')];
    expect(firstAt).not.toBe(secondAt);
    render(<BackupSection />);
    await user.click(screen.getByRole('button', { name: BT.restore }));
    const form = screen.getByRole('form', { name: BT.restoreTitle });
    const input = within(form).getByLabelText(BT.file);

    // the first file is big (a slow read): the second is chosen meanwhile, and read at once
    let release = () => undefined as void;
    const slow = new File([first as BlobPart], 'first.kyoten');
    const read = slow.arrayBuffer.bind(slow);
    vi.spyOn(slow, 'arrayBuffer').mockImplementation(() => new Promise<void>((done) => (release = done)).then(read));
    await user.upload(input, slow);
    await user.upload(input, new File([second as BlobPart], 'second.kyoten'));
    expect(await within(form).findByText(secondAt)).toBeVisible();
    release();
    await new Promise((done) => setTimeout(done, 50));
    expect(within(form).queryByText(firstAt)).toBeNull();
    expect(within(form).getByText(secondAt)).toBeVisible();

    await user.type(within(form).getByLabelText(BT.restorePassphrase), BACKUP);
    await user.click(within(form).getByRole('button', { name: BT.restoreSubmit }));
    expect(within(screen.getByRole('dialog', { name: BT.confirmTitle })).getByText(BT.confirmBody(secondAt))).toBeVisible();
  });

  it('says so beside the field when the file is not a backup or is damaged, and asks for nothing more', async () => {
    const user = userEvent.setup();
    const session = createFakeSession();
    useApp.setState({ phase: 'unlocked', session, users: [session.user] });
    const restoreBackup = vi.spyOn(session, 'restoreBackup');
    render(<BackupSection />);

    await user.click(screen.getByRole('button', { name: BT.restore }));
    const form = screen.getByRole('form', { name: BT.restoreTitle });
    const input = within(form).getByLabelText(BT.file);
    // Not a backup: refused on its first byte, the rest never read (a video picked by mistake)
    const csv = new File(['事業所番号,名称\n'], 'facilities.csv');
    const readWhole = vi.spyOn(csv, 'arrayBuffer');
    await user.upload(input, csv);
    expect(await within(form).findByText(vaultErrorMessage('backup-invalid'))).toBeVisible();
    expect(readWhole).not.toHaveBeenCalled();
    expect(input).toHaveAccessibleDescription(expect.stringContaining(vaultErrorMessage('backup-invalid')));

    await user.upload(input, new File(['{"format":"kyoten-navi-backup","version":1'], 'cut.kyoten'));
    expect(await within(form).findByText(vaultErrorMessage('backup-damaged'))).toBeVisible();

    await user.type(within(form).getByLabelText(BT.restorePassphrase), BACKUP);
    await user.click(within(form).getByRole('button', { name: BT.restoreSubmit }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(restoreBackup).not.toHaveBeenCalled();
  });
});
