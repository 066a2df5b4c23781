import { describe, expect, it } from 'vitest';
import { parseAdminArgs } from './admin-commands';

describe('verify-evidence takes its file', () => {
  it('as shown (<FILE>) or as the other commands take files (--file), once', () => {
    expect(parseAdminArgs(['verify-evidence', 'meisai.csv'])).toMatchObject({ options: { file: 'meisai.csv' } });
    expect(parseAdminArgs(['verify-evidence', '--file', 'meisai.csv'])).toMatchObject({ options: { file: 'meisai.csv' } });
    expect(() => parseAdminArgs(['verify-evidence', 'a.csv', '--file', 'b.csv'])).toThrow(/once/);
    expect(() => parseAdminArgs(['verify-evidence'])).toThrow(/give the CSV file/);
  });

  it('with the hub key\'s fingerprint beside a public key (the start log\'s groups of four, quoted)', () => {
    expect(parseAdminArgs(['verify-evidence', 'meisai.csv', '--public-key', 'a2V5', '--fingerprint', '3f2a 9c01'])).toMatchObject({ options: { 'public-key': 'a2V5', fingerprint: '3f2a 9c01' } });
  });
});

describe('list-quarantine shows a change itself one row at a time', () => {
  it('takes --show-content only with --id', () => {
    expect(parseAdminArgs(['list-quarantine', '--hub', 'hub-a', '--id', '3', '--show-content'])).toMatchObject({ options: { id: 3, 'show-content': true } });
    expect(() => parseAdminArgs(['list-quarantine', '--hub', 'hub-a', '--show-content'])).toThrow(/--show-content は --id/);
  });
});
