/** Every migration, in the order they apply. Append only: a shipped migration never changes. */
import { sql as initial } from './0001-initial';
import { sql as accounts } from './0002-accounts';
import { sql as merge } from './0003-merge';
import { sql as countersign } from './0004-countersign';
import { sql as recordAdmin } from './0005-record-admin';
import { sql as retirement } from './0006-retirement';
import { sql as deviceUsers } from './0007-device-users';
import { sql as openKinds } from './0008-open-kinds';
import { sql as hubOfficeRecords } from './0009-hub-office-records';
import { sql as hubHeads } from './0013-hub-heads';
import { sql as epoch } from './0014-epoch';
import { sql as pushCompression } from './0015-push-compression';
import { sql as wireLines } from './0016-wire-lines';
import { sql as ownChanges } from './0017-own-changes';
import { sql as pullPage } from './0018-pull-page';
import { sql as receiptPositions } from './0019-receipt-positions';
import { sql as sessionDevices } from './0020-session-devices';
import { sql as officeDepartures } from './0021-office-departures';
import { sql as accountAudit } from './0022-account-audit';
import { sql as enableUser } from './0023-enable-user';
import { sql as enableDevice } from './0024-enable-device';
import { sql as signInWindow } from './0025-sign-in-window';
import { sql as stoppedAt } from './0026-stopped-at';
import { sql as hubAccessAudit } from './0027-hub-access-audit';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'accounts', sql: accounts },
  { version: 3, name: 'merge', sql: merge },
  { version: 4, name: 'countersign', sql: countersign },
  { version: 5, name: 'record-admin', sql: recordAdmin },
  { version: 6, name: 'retirement', sql: retirement },
  { version: 7, name: 'device-users', sql: deviceUsers },
  { version: 8, name: 'open-kinds', sql: openKinds },
  { version: 9, name: 'hub-office-records', sql: hubOfficeRecords },
  { version: 13, name: 'hub-heads', sql: hubHeads },
  { version: 14, name: 'epoch', sql: epoch },
  { version: 15, name: 'push-compression', sql: pushCompression },
  { version: 16, name: 'wire-lines', sql: wireLines },
  { version: 17, name: 'own-changes', sql: ownChanges },
  { version: 18, name: 'pull-page', sql: pullPage },
  { version: 19, name: 'receipt-positions', sql: receiptPositions },
  { version: 20, name: 'session-devices', sql: sessionDevices },
  { version: 21, name: 'office-departures', sql: officeDepartures },
  { version: 22, name: 'account-audit', sql: accountAudit },
  { version: 23, name: 'enable-user', sql: enableUser },
  { version: 24, name: 'enable-device', sql: enableDevice },
  { version: 25, name: 'sign-in-window', sql: signInWindow },
  { version: 26, name: 'stopped-at', sql: stoppedAt },
  { version: 27, name: 'hub-access-audit', sql: hubAccessAudit },
];
