// @vitest-environment node
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { osUserName, recordedOperator } from './os-user';

describe('the name an admin command is recorded under (admin_audit.done_by)', () => {
  const own = userInfo().username;

  it('names the person who ran kyoten-admin.sh, and the service user it ran as', () => {
    expect(osUserName({ KYOTEN_OPERATOR: 'suzuki' })).toBe(`suzuki (as ${own})`);
  });

  it('is the OS user alone when no one else is named, or the same one is', () => {
    expect(osUserName({})).toBe(own);
    expect(osUserName({ KYOTEN_OPERATOR: ` ${own} ` })).toBe(own);
    expect(osUserName({ KYOTEN_OPERATOR: '  ' })).toBe(own);
  });
});

describe('recordedOperator', () => {
  it('names the OS user who ran a command always, with --by beside it, never in its place', () => {
    expect(recordedOperator(undefined, 'sato')).toBe('sato');
    expect(recordedOperator('鈴木', 'sato')).toBe('鈴木 (run by sato)');
    expect(recordedOperator('sato', 'sato')).toBe('sato');
    expect(recordedOperator('  ', 'sato')).toBe('sato');
    expect(recordedOperator('鈴木', undefined)).toBe('鈴木 (run by unknown)');
  });
});
