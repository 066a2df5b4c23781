/** 設定: data safety first (iOS warning, storage protection), then lock timing, users, sync, access log; last, what the support desk asks for. */
import { useLinkSaysLiaison, wasLiaison } from '../../state/liaison-hint';
import { useApp } from '../../state/store';
import { Page } from '../../ui/layout';
import { AccessLogSection, PendingChangesSection } from './access-log-section';
import { BackupSection } from './backup-section';
import { DeviceInfoSection } from './device-info-section';
import { DeviceSettingsSection } from './device-settings-section';
import { HomeScreenWarning } from './home-screen-warning';
import { OfficesSection } from './offices-section';
import { StorageSection } from './storage-section';
import { SyncSection } from './sync-section';
import { T } from './text';
import { UsersSection } from './users-section';

/**
 * A facility's liaison holds no household: a backup would carry whatever else the phone holds, and
 * the offices' 相談強化加算 is not theirs to set. Known as the app shell knows it: the hub link's role
 * once the sync engine read it, until then (or when joined with no role read) the last unlock's hint.
 */
function useLiaison(): boolean {
  const userId = useApp((s) => s.session?.user.id ?? '');
  return useLinkSaysLiaison() ?? wasLiaison(userId);
}

export function SettingsScreen() {
  const liaison = useLiaison();
  return (
    <Page title={T.title}>
      <HomeScreenWarning />
      <StorageSection />
      {liaison ? null : <BackupSection />}
      <DeviceSettingsSection />
      <UsersSection />
      {liaison ? null : <OfficesSection />}
      <SyncSection />
      <PendingChangesSection />
      <AccessLogSection />
      <DeviceInfoSection />
    </Page>
  );
}
