/** Shown once this device was retired by its hub and wiped: what happened and why, nothing else. */
import { useStore } from 'zustand';
import { ST } from '../features/settings/sync-text';
import { syncStatus } from '../sync/status';
import { Gate } from './gate';

export function RetiredScreen() {
  const retired = useStore(syncStatus, (s) => s.retired);
  return (
    <Gate title={ST.retiredTitle}>
      <p>{ST.retiredBody}</p>
      {retired?.serverMessage ? <p>{ST.retiredReason(retired.serverMessage)}</p> : null}
      <p>{ST.retiredNext}</p>
    </Gate>
  );
}
