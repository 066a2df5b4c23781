/**
 * この端末の情報: what the support desk and the hub's admin ask for — the app's build, this device's
 * id in full (the one `list-devices` prints, and the hub's log lines), the hub and the last sync.
 * Nothing about a person or a record.
 */
import { useStore } from 'zustand';
import { formatJapanDateTime } from '../../domain/japan-time';
import { useApp } from '../../state/store';
import { syncStatus } from '../../sync/status';
import { Section } from '../../ui/layout';
import { T } from './text';

export function DeviceInfoSection() {
  const deviceId = useApp((s) => s.session?.deviceId ?? null);
  const joined = useStore(syncStatus, (s) => s.joined);
  const hub = useStore(syncStatus, (s) => s.hub);
  const lastSyncAt = useStore(syncStatus, (s) => s.lastSyncAt);

  return (
    <Section title={T.infoTitle} id="settings-device-info">
      <p className="muted">{T.infoIntro}</p>
      <dl className="kv">
        <dt>{T.infoBuild}</dt>
        <dd>
          <code>{__APP_BUILD__}</code>
        </dd>
        {deviceId !== null ? (
          <>
            <dt>{T.infoDevice}</dt>
            <dd>
              <code>{deviceId}</code>
            </dd>
          </>
        ) : null}
        {joined && hub !== null ? (
          <>
            <dt>{T.infoHub}</dt>
            <dd>
              <code>{hub}</code>
            </dd>
            <dt>{T.infoLastSync}</dt>
            <dd>{lastSyncAt === null ? T.infoNeverSynced : formatJapanDateTime(lastSyncAt)}</dd>
          </>
        ) : null}
      </dl>
    </Section>
  );
}
