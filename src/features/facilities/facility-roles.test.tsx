/** The facility list offers only what the hub takes from the unlocked person's role. */
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { createFakeSession } from '../../../test/factories/fake-session';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import type { Role } from '../../protocol/sync';
import { mountFacilities, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
  syncStatus.setState(initialSyncStatus, true);
  window.location.hash = '';
});

const facility = createFacility({ id: 'fac-1', name: 'あおぞら短期入所' });
const joinedAs = (role: Role) => syncStatus.setState({ ...initialSyncStatus, joined: true, role });
const offered = () => ({
  register: screen.queryByRole('button', { name: '事業所を登録' }) !== null,
  report: screen.queryByRole('link', { name: /空床を報告/ }) !== null,
  import: screen.queryByRole('link', { name: /取り込/ }) !== null,
});

describe('facility writes by role', () => {
  it('offers a 相談支援専門員 on a joined phone no registering, importing or bed report, and says who does it', () => {
    joinedAs('case-worker');
    mountFacilities({ facilities: [facility] });
    expect(offered()).toEqual({ register: false, report: false, import: false });
    expect(screen.getByText(/拠点のコーディネーターと各事業所の連携担当者が行います/)).toBeInTheDocument();
  });

  it('offers a liaison the bed report of the facility they hold, not a new facility nor an import, in words meant for them; the report names them as reporter', async () => {
    // the hub's last pull on this phone said which facility is theirs
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'facility-liaison', facilityId: 'fac-1' });
    const session = createFakeSession({ displayName: '連携 一郎' });
    const view = mountFacilities({ facilities: [facility], session });
    expect(await screen.findByRole('link', { name: /空床を報告/ })).toBeInTheDocument();
    expect(offered()).toEqual({ register: false, report: true, import: false });
    expect(screen.getByText('この端末では、ご自分の事業所の空床の報告と情報の変更ができます。')).toBeInTheDocument();
    expect(screen.queryByText(/各事業所の連携担当者が行います/)).toBeNull();
    view.unmount();
    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [facility], session });
    expect(await screen.findByLabelText(/報告者/)).toHaveValue('連携 一郎');
  });

  it('offers everything to a coordinator, and on a phone without a hub', () => {
    joinedAs('coordinator');
    const view = mountFacilities({ facilities: [facility] });
    expect(offered()).toEqual({ register: true, report: true, import: true });
    view.unmount();
    syncStatus.setState(initialSyncStatus, true);
    mountFacilities({ facilities: [facility] });
    expect(offered()).toEqual({ register: true, report: true, import: true });
  });

  it('answers a bed-report link a case worker still has with who reports, not the form', () => {
    joinedAs('case-worker');
    mountFacilities({ hash: '#/facilities/fac-1/vacancy', facilities: [facility] });
    expect(screen.getByText(/拠点のコーディネーターと各事業所の連携担当者が行います/)).toBeInTheDocument();
    expect(screen.queryByLabelText(/空床数/)).toBeNull();
    expect(screen.queryByRole('button', { name: '報告する' })).toBeNull();
  });
});
