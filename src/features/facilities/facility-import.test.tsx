import Encoding from 'encoding-japanese';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { createFakeSession } from '../../../test/factories/fake-session';
import { useApp } from '../../state/store';
import { mountFacilities, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
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
    const file = csvFile(sjis(csv(HEADER, '1210100001,髙﨑ホーム①,中央', '121010002,つばさ苑,北部')));
    await user.upload(screen.getByLabelText('CSVファイル'), file);

    expect(await screen.findByText('文字コード: Shift_JIS')).toBeInTheDocument();
    expect(screen.getByText(/2行目 新規 1210100001 髙﨑ホーム①/)).toBeInTheDocument();
    expect(screen.getByText(/3行目「事業所番号」: 事業所番号は10桁の数字です/)).toBeInTheDocument();
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
    const outbox = await session.outbox();
    expect(outbox.map((e) => e.op)).toEqual(['update', 'create', 'create']);
    const names = [...useApp.getState().facilities.values()].map((f) => f.name).sort();
    expect(names).toEqual(['あおぞら短期入所', 'つばさ苑', 'ひかりの家'].sort());
    expect(useApp.getState().facilities.get('fac-old')?.name).toBe('あおぞら短期入所');
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
});
