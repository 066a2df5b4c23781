import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { exportFacilityCsv } from '../../domain/facility-csv';
import { mountFacilities, resetStore } from './test-helpers';

let blobs: Blob[];

beforeEach(() => {
  blobs = [];
  Object.assign(URL, { createObjectURL: vi.fn((blob: Blob) => (blobs.push(blob), 'blob:facilities')), revokeObjectURL: vi.fn() });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  resetStore();
});

const real = createFacility({ id: 'fac-real', name: 'ひかり短期入所', officeNumber: '1210100001' });
// as the demo hub makes them (demo-facilities.ts): every id starts with 'demo-'
const demo1 = createFacility({ id: 'demo-f-00001', name: 'ショートステイ かもめの家', officeNumber: '9910000001' });
const demo2 = createFacility({ id: 'demo-f-00002', name: 'ショートステイ つばめの家', officeNumber: '9910000002' });

const savedText = async () => new TextDecoder().decode(new Uint8Array(await blobs[0]!.arrayBuffer()));

describe('facility CSV export', () => {
  it('leaves the demo facilities out of the file, and says how many beside the buttons', async () => {
    const { user } = mountFacilities({ facilities: [real, demo1, demo2] });
    expect(screen.getByText('デモデータの事業所 2件は、CSVに含めていません。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'CSV（Excel用 UTF-8）' }));
    const text = await savedText();
    expect(text).toContain('ひかり短期入所');
    expect(text).not.toContain('かもめの家');
    expect(text).not.toContain('つばめの家');
    expect(text.trim().split('\r\n')).toHaveLength(2);
  });

  it('writes every facility, and says nothing of demo data, when none is held', async () => {
    const other = createFacility({ id: 'fac-other', name: 'みなと短期入所', officeNumber: '1210100002' });
    const { user } = mountFacilities({ facilities: [real, other] });
    expect(screen.queryByText(/デモデータ/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'CSV（Excel用 UTF-8）' }));
    expect(new Uint8Array(await blobs[0]!.arrayBuffer())).toEqual(exportFacilityCsv([real, other], 'UTF-8'));
  });

  it('writes an office registered twice once, the record the match shows, so that the file can be imported again', async () => {
    // two phones offline registered ひかり; the twin has a bed report for tonight, so the match shows it
    const twin = createFacility({ id: 'fac-twin', name: 'ひかり短期入所（本館）', officeNumber: '１２１０１０００01', vacancy: { beds: 1, asOf: new Date().toISOString(), reportedBy: '連携担当' } });
    const { user } = mountFacilities({ facilities: [real, twin] });
    expect(screen.getByText(/1件を除きます/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'CSV（Excel用 UTF-8）' }));
    const text = await savedText();
    expect(text).toContain('ひかり短期入所（本館）');
    expect(text.trim().split('\r\n')).toHaveLength(2);
  });
});
