/** Every migration, in the order they apply. Append only: a shipped migration never changes. */
import { sql as initial } from './0001-initial';
import { sql as accounts } from './0002-accounts';
import { sql as merge } from './0003-merge';
import { sql as countersign } from './0004-countersign';

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
];
