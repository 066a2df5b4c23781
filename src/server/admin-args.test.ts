import { describe, expect, it } from 'vitest';
import { parseAdminArgs } from './admin-commands';

describe('verify-evidence takes its file', () => {
  it('as shown (<FILE>) or as the other commands take files (--file), once', () => {
    expect(parseAdminArgs(['verify-evidence', 'meisai.csv'])).toMatchObject({ options: { file: 'meisai.csv' } });
    expect(parseAdminArgs(['verify-evidence', '--file', 'meisai.csv'])).toMatchObject({ options: { file: 'meisai.csv' } });
    expect(() => parseAdminArgs(['verify-evidence', 'a.csv', '--file', 'b.csv'])).toThrow(/once/);
    expect(() => parseAdminArgs(['verify-evidence'])).toThrow(/give the CSV file/);
  });
});
