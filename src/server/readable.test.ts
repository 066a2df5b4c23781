import { describe, expect, it } from 'vitest';
import { unreadable } from './readable';

describe('a file an admin command is to read', () => {
  it('says in words that it is not there, naming it, and passes one that is', () => {
    expect(() => unreadable('/nonexistent/kyoten-20261206.dump', 'バックアップ', 'backup')).toThrow(
      '/nonexistent/kyoten-20261206.dump にバックアップがありません。パスを確かめてください / no backup at /nonexistent/kyoten-20261206.dump',
    );
    expect(() => unreadable(__filename, 'バックアップ', 'backup')).not.toThrow();
  });
});
