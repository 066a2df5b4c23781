/** Every migration, in the order they apply. Append only: a shipped migration never changes. */
import { sql as initial } from './0001-initial';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial', sql: initial }];
