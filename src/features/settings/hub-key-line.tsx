/**
 * The hub's signing key as this device took it at join, by its fingerprint (to compare with the one
 * the hub's admin sees when the server starts; the printed reports show this same copy, so they are
 * no record to compare it with), and a warning when the hub sent receipts that do not verify against it.
 */
import { useStore } from 'zustand';
import { formatFingerprint } from '../../protocol/countersign';
import { countersignState } from '../../sync/countersign';
import { Notice } from '../../ui/layout';
import { ST } from './sync-text';

export function HubKeyLine() {
  const hubKey = useStore(countersignState, (s) => s.hubKey);
  const rejected = useStore(countersignState, (s) => s.rejected);
  const noEd25519 = useStore(countersignState, (s) => s.noEd25519);
  return (
    <>
      {noEd25519 ? <Notice kind="warn">{ST.noEd25519}</Notice> : null}
      <p className="muted">{hubKey ? ST.hubKeyLine(formatFingerprint(hubKey.fingerprint)) : noEd25519 ? ST.hubKeyUnusable : ST.hubKeyNone}</p>
      {rejected > 0 ? <Notice kind="warn">{ST.receiptsRejected(rejected)}</Notice> : null}
    </>
  );
}
