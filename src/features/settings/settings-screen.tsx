/** 設定: data safety first (iOS warning, storage protection), then lock timing, users, sync, access log; last, what the support desk asks for. */
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

export function SettingsScreen() {
  return (
    <Page title={T.title}>
      <HomeScreenWarning />
      <StorageSection />
      <BackupSection />
      <DeviceSettingsSection />
      <UsersSection />
      <OfficesSection />
      <SyncSection />
      <PendingChangesSection />
      <AccessLogSection />
      <DeviceInfoSection />
    </Page>
  );
}
