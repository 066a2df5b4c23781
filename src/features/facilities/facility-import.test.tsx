import Encoding from 'encoding-japanese';
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { exportFacilityCsv } from '../../domain/facility-csv';
import { createFakeSession } from '../../../test/factories/fake-session';
import { useApp } from '../../state/store';
import { mountFacilities, resetStore } from './test-helpers';
import { T } from './text';

afterEach(() => {
  resetStore();
  vi.unstubAllGlobals();
});

const sjis = (s: string) => new Uint8Array(Encoding.convert(Encoding.stringToCode(s), { to: 'SJIS', from: 'UNICODE' }));
const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const HEADER = '事業所番号,事業所名,地区';

function csvFile(bytes: Uint8Array, name = 'facilities.csv'): File {
  return new File([bytes as BlobPart], name, { type: 'text/csv' });
}

describe('facility CSV import', () => {
  it('shows a bad CP932 row with its line and column, keeps 取り込む disabled, and writes nothing', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/import', session });
    const file = csvFile(sjis(csv(HEADER, '1210100001,髙﨑ホーム①,中央', '12101002,つばさ苑,北部')));
    await user.upload(screen.getByLabelText('CSVファイル'), file);

    expect(await screen.findByText('文字コード: Shift_JIS')).toBeInTheDocument();
    expect(screen.getByText(/2行目 新規 1210100001 髙﨑ホーム①/)).toBeInTheDocument();
    expect(screen.getByText(/^エラー：3行目「事業所番号」: 事業所番号は10桁の数字です/)).toBeInTheDocument();
    expect(screen.getByText(/このファイルからは何も取り込みません/)).toBeInTheDocument();
    const button = screen.getByRole('button', { name: '取り込む' });
    expect(button).toBeDisabled();
    await user.click(button);
    expect(await session.outbox()).toHaveLength(0);
    expect(await session.list('facility')).toHaveLength(0);
    expect(useApp.getState().facilities.size).toBe(0);
  });

  it('refuses a file far larger than a city lists before reading it, saying how much it takes', async () => {
    const { user } = mountFacilities({ hash: '#/facilities/import', session: createFakeSession() });
    const huge = csvFile(new Uint8Array(1));
    Object.defineProperty(huge, 'size', { value: 12_000_000 });
    await user.upload(screen.getByLabelText('CSVファイル'), huge);
    expect(await screen.findByText(/ファイルが大きすぎます（12.0 MB）。一度に取り込めるのは 10 MB、5,000 件までです/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '取り込む' })).toBeNull();
  });

  it('imports every row of a good file at once, creating and updating by 事業所番号', async () => {
    const session = createFakeSession();
    const existing = createFacility({ id: 'fac-old', officeNumber: '1210100001', name: '旧名称' });
    const { user } = mountFacilities({ hash: '#/facilities/import', session, facilities: [existing] });
    const bytes = new TextEncoder().encode(csv(HEADER, '1210100001,あおぞら短期入所,中央', '1210100002,つばさ苑,北部', '1210100003,ひかりの家,南部'));
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(bytes));

    expect(await screen.findByText('文字コード: UTF-8')).toBeInTheDocument();
    expect(screen.getByText('新規 2件・更新 1件・変更なし 0件')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '取り込む' }));

    expect(await screen.findByText('3件の事業所を取り込みました。')).toBeInTheDocument();
    // 取り込む went with the preview: the focus is on what was imported, not lost to the page
    await waitFor(() => expect(screen.getByText('3件の事業所を取り込みました。').closest('.fac-import-done')).toHaveFocus());
    const outbox = await session.outbox();
    expect(outbox.map((e) => e.op)).toEqual(['update', 'create', 'create']);
    const names = [...useApp.getState().facilities.values()].map((f) => f.name).sort();
    expect(names).toEqual(['あおぞら短期入所', 'つばさ苑', 'ひかりの家'].sort());
    expect(useApp.getState().facilities.get('fac-old')?.name).toBe('あおぞら短期入所');
  });

  it('never updates a demo facility from a row of its number: the row is a new real facility, and the demo one stays the demo\'s', async () => {
    const session = createFakeSession();
    const demo = createFacility({ id: 'demo-f-00001', officeNumber: '1315104729', name: '短期入所 ひだまりの家' });
    const { user } = mountFacilities({ hash: '#/facilities/import', session, facilities: [demo] });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv(HEADER, '1315104729,あおぞら短期入所,中央'))));
    expect(await screen.findByText('新規 1件・更新 0件・変更なし 0件')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('1件の事業所を取り込みました。')).toBeInTheDocument();
    expect((await session.outbox()).map((e) => [e.op, e.entityId === 'demo-f-00001'])).toEqual([['create', false]]);
    expect(useApp.getState().facilities.get('demo-f-00001')?.name).toBe('短期入所 ひだまりの家');
  });

  it('says nothing was written when storage fails during the import', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/import', session });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv(HEADER, '1210100002,つばさ苑,北部'))));
    await screen.findByText('文字コード: UTF-8');
    session.failNext('quota-exceeded');
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    await waitFor(() => expect(screen.getByText(/取り込めませんでした。何も書き込まれていません。/)).toBeInTheDocument());
    expect(await session.outbox()).toHaveLength(0);
  });

  it('puts back the leading 0 Excel dropped, telling which row and column, and stores the whole number', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/import', session });
    const bytes = new TextEncoder().encode(csv('事業所番号,事業所名,夜間連絡先', '110100001,つばさ苑,9012345678'));
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(bytes));

    expect(await screen.findByText(T.hasNotices(2))).toBeInTheDocument();
    expect(screen.getByText('注意：2行目「事業所番号」: 先頭の0を補いました: 0110100001（Excel で保存すると消えることがあります）')).toBeInTheDocument();
    expect(screen.getByText('注意：2行目「夜間連絡先」: 先頭の0を補いました: 09012345678（Excel で保存すると消えることがあります）')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('1件の事業所を取り込みました。')).toBeInTheDocument();
    const [stored] = useApp.getState().facilities.values();
    expect(stored).toMatchObject({ officeNumber: '0110100001', nightPhone: '09012345678' });
  });

  it('keeps a bed report that synced in while the preview was open, with the report it replaced', async () => {
    const session = createFakeSession();
    const before = { beds: 0, asOf: '2026-11-22T12:00:00.000Z', reportedBy: '佐藤' };
    const existing = createFacility({ id: 'fac-old', officeNumber: '1210100001', name: 'あおぞら', phone: '047-000-0000', vacancy: before });
    const { user } = mountFacilities({ hash: '#/facilities/import', session, facilities: [existing] });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv('事業所番号,事業所名,電話番号', '1210100001,あおぞら,047-000-9999'))));
    expect(await screen.findByText('新規 0件・更新 1件・変更なし 0件')).toBeInTheDocument();

    // the liaison reports 2 beds; the report syncs in before 取り込む is pressed
    const report = { beds: 2, asOf: '2026-11-23T00:05:00.000Z', reportedBy: '連携担当 山田' };
    const synced = { ...existing, vacancy: report, vacancyHistory: [before], updatedAt: '2026-11-23T00:05:00.000Z' };
    useApp.setState({ facilities: new Map([[synced.id, synced]]) });
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    // the file changes the phone number: asked first
    await user.click(await screen.findByRole('button', { name: 'このまま取り込む' }));

    expect(await screen.findByText('1件の事業所を取り込みました。')).toBeInTheDocument();
    const expected = { phone: '047-000-9999', vacancy: report, vacancyHistory: [before] };
    expect(useApp.getState().facilities.get('fac-old')).toMatchObject(expected);
    expect((await session.list('facility'))[0]!.data).toMatchObject(expected);
  });

  it('a facility that synced in after the preview with a 新規 row\'s 事業所番号 is not made twice: the file is read again and shown first', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/import', session });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv(HEADER, '1210100002,つばさ苑,北部', '1210100003,ひかりの家,南部'))));
    expect(await screen.findByText('新規 2件・更新 0件・変更なし 0件')).toBeInTheDocument();

    // another phone registered つばさ苑; it syncs in before 取り込む is pressed
    const synced = createFacility({ id: 'fac-synced', officeNumber: '1210100002', name: 'つばさ苑', area: '' });
    useApp.setState({ facilities: new Map([[synced.id, synced]]) });
    await user.click(screen.getByRole('button', { name: '取り込む' }));

    expect(await screen.findByText(/事業所番号 1210100002 の事業所が同期で届きました。/)).toBeInTheDocument();
    expect(screen.getByText('新規 1件・更新 1件・変更なし 0件')).toBeInTheDocument();
    expect(await session.outbox()).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('2件の事業所を取り込みました。')).toBeInTheDocument();
    expect(screen.queryByText(/同期で届きました/)).toBeNull();
    const byNumber = [...useApp.getState().facilities.values()].map((f) => [f.officeNumber, f.id === 'fac-synced']).sort();
    expect(byNumber).toEqual([
      ['1210100002', true],
      ['1210100003', false],
    ]);
  });

  it('reads 受入れ under the headings the city form prints, and says in red when no 受入れ column is read', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/import', session });
    const formHeaders = csv('事業所番号,事業所名,知的障がい,医療的ケアを必要とする方', '1210100002,つばさ苑,者・児,児');
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(formHeaders)));
    expect(await screen.findByText('新規 1件・更新 0件・変更なし 0件')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('1件の事業所を取り込みました。')).toBeInTheDocument();
    const [created] = useApp.getState().facilities.values();
    expect(created!.acceptance.intellectual).toMatchObject({ adult: true, child: true });
    expect(created!.acceptance['medical-care']).toMatchObject({ adult: false, child: true });

    const unread = csv('事業所番号,事業所名,知的障がい者,精神障がい者', '1210100003,ひかりの家,可,可');
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(unread)));
    expect(await screen.findByRole('alert')).toHaveTextContent(/受入れ（障害種別ごとの 者・児）の列を読み取れませんでした（読み取らない列: 知的障がい者、精神障がい者）/);
  });

  it('shows an untouched Shift_JIS export as 変更なし, whatever order 拠点機能 and 医療的ケア were ticked in', async () => {
    const existing = createFacility({
      id: 'fac-old',
      hubFunctions: ['specialists', 'consultation'],
      medicalCare: ['insulin', 'suction'],
      emergencyRequestHow: '平日9時〜17時は代表電話へ',
      address: '八幡1−1−1',
    });
    const { user } = mountFacilities({ hash: '#/facilities/import', facilities: [existing] });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(exportFacilityCsv([existing], 'Shift_JIS')));
    expect(await screen.findByText('新規 0件・更新 0件・変更なし 1件')).toBeInTheDocument();
  });

  it('takes a new facility\'s blank 定員 as 0 saying so, refuses a mistyped e-mail naming the row, and keeps a stored 定員', async () => {
    const session = createFakeSession();
    const existing = createFacility({ id: 'fac-old', officeNumber: '1210100001', capacity: 20 });
    const { user } = mountFacilities({ hash: '#/facilities/import', session, facilities: [existing] });
    const file = csv('事業所番号,事業所名,定員,メール', '1210100001,あおぞら短期入所,,', '1210100002,つばさ苑,,', '1210100003,ひかりの家,10,hikari@example');
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(file)));

    // the notice and the error in one list, each saying which it is in words (not only the row's red)
    expect(await screen.findByText(/^注意：3行目「定員」: 定員が空のため0として取り込みます/)).toBeInTheDocument();
    expect(screen.getByText('エラー：4行目「メール」: "hikari@example" はメールアドレスの形式ではありません（例：tanki@example.jp）')).toBeInTheDocument();
    expect(screen.getByText(/2行目 変更なし 1210100001/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '取り込む' })).toBeDisabled();
  });
});

describe('facility CSV import over what the hub keeps', () => {
  it('says on the row, before importing, which stored night phone, liaison and hub functions a blank cell clears', async () => {
    const held = createFacility({ id: 'fac-1', name: 'あおぞら短期入所', officeNumber: '1210100001', nightPhone: '090-1234-5678', liaison: '山田 花子', hubFunctions: ['emergency-acceptance'] });
    const { user } = mountFacilities({ hash: '#/facilities/import', facilities: [held] });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv('事業所番号,事業所名,夜間連絡先,連携担当者,拠点機能', '1210100001,あおぞら短期入所,,,'))));
    expect(await screen.findByText(T.hasNotices(3))).toBeInTheDocument();
    expect(screen.getByText('注意：2行目「夜間連絡先」: 空欄のため、いまの値（090-1234-5678）を消します')).toBeInTheDocument();
    expect(screen.getByText('注意：2行目「連携担当者」: 空欄のため、いまの値（山田 花子）を消します')).toBeInTheDocument();
    expect(screen.getByText(/^注意：2行目「拠点機能」: 空欄のため、いまの値（.+）を消します/)).toBeInTheDocument();
  });
});

describe('what an import overwrites', () => {
  it('lists each field an update changes (before → after, as the form names it), marks a 受入れ narrowed and a phone changed 要確認, and asks before importing, saying how many rows', async () => {
    const session = createFakeSession();
    const acceptance = { ...createFacility().acceptance, intellectual: { adult: true, child: true, note: '' } };
    const held = createFacility({ id: 'fac-1', name: 'あおぞら短期入所', officeNumber: '1210100001', nightPhone: '090-1234-5678', liaison: '山田 花子', acceptance });
    const other = createFacility({ id: 'fac-2', name: 'つばさ苑', officeNumber: '1210100002', liaison: '' });
    const { user } = mountFacilities({ hash: '#/facilities/import', session, facilities: [held, other] });
    const file = csv('事業所番号,事業所名,夜間連絡先,連携担当者,知的', '1210100001,あおぞら短期入所,047-111-2222,佐藤 一郎,不可', '1210100002,つばさ苑,,鈴木,');
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(file)));

    expect(await screen.findByText('新規 0件・更新 2件・変更なし 0件')).toBeInTheDocument();
    expect(screen.getByText('要確認：夜間・緊急連絡先: 090-1234-5678 → 047-111-2222')).toBeInTheDocument();
    expect(screen.getByText('要確認：受入れ 知的: 者・児 → 不可')).toBeInTheDocument();
    expect(screen.getByText('連携担当者: 山田 花子 → 佐藤 一郎')).toBeInTheDocument();
    expect(screen.getByText('連携担当者: （空欄） → 鈴木')).toBeInTheDocument();
    expect(screen.getByText(T.alertRows(1))).toBeInTheDocument();

    // 取り込む asks first, with the count; going back writes nothing
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    const dialog = await screen.findByRole('dialog', { name: '受入れ・電話番号・休止廃止を書き換えます' });
    expect(dialog).toHaveTextContent('1件の事業所で、受入れが減るか、電話番号が変わるか、休止・廃止になります（一覧の「要確認」）。取り込むと元に戻せません。');
    await user.click(within(dialog).getByRole('button', { name: '一覧に戻る' }));
    expect(await session.outbox()).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: '取り込む' }));
    await user.click(await screen.findByRole('button', { name: 'このまま取り込む' }));
    expect(await screen.findByText('2件の事業所を取り込みました。')).toBeInTheDocument();
    expect(useApp.getState().facilities.get('fac-1')).toMatchObject({ nightPhone: '047-111-2222', acceptance: { intellectual: { adult: false, child: false } } });
  });

  it('imports without asking when no row narrows a 受入れ or changes a phone number', async () => {
    const held = createFacility({ id: 'fac-1', name: 'あおぞら短期入所', officeNumber: '1210100001', liaison: '山田 花子' });
    const { user } = mountFacilities({ hash: '#/facilities/import', facilities: [held] });
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(new TextEncoder().encode(csv('事業所番号,事業所名,連携担当者', '1210100001,あおぞら短期入所,佐藤 一郎'))));
    expect(await screen.findByText('連携担当者: 山田 花子 → 佐藤 一郎')).toBeInTheDocument();
    expect(screen.queryByText(/^要確認：/)).toBeNull();
    await user.click(screen.getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('1件の事業所を取り込みました。')).toBeInTheDocument();
  });

  it('shows the file chosen last when the read of one chosen before ends after it', async () => {
    // a FileReader whose reads end when the test says
    const reads: { file: File; done: (bytes: Uint8Array) => void }[] = [];
    class HeldReader {
      result: ArrayBuffer | null = null;
      error: Error | null = null;
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      readAsArrayBuffer(file: File) {
        reads.push({
          file,
          done: (bytes) => {
            this.result = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
            this.onload?.();
          },
        });
      }
    }
    vi.stubGlobal('FileReader', HeldReader);
    const { user } = mountFacilities({ hash: '#/facilities/import' });
    const first = new TextEncoder().encode(csv(HEADER, '1210100001,古いファイルの事業所,中央'));
    const second = new TextEncoder().encode(csv(HEADER, '1210100002,選び直した事業所,北部'));
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(first, 'old.csv'));
    await user.upload(screen.getByLabelText('CSVファイル'), csvFile(second, 'new.csv'));
    expect(reads.map((r) => r.file.name)).toEqual(['old.csv', 'new.csv']);

    await act(async () => reads[1]!.done(second));
    expect(await screen.findByText(/2行目 新規 1210100002 選び直した事業所/)).toBeInTheDocument();
    await act(async () => reads[0]!.done(first));
    expect(screen.queryByText(/古いファイルの事業所/)).toBeNull();
    expect(screen.getByText(/2行目 新規 1210100002 選び直した事業所/)).toBeInTheDocument();
  });
});
