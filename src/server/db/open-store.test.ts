import { describe, expect, it } from 'vitest';
import { dbWorkFor, DB_WORK } from '../http/api';
import { DEFAULT_POOL_SIZE, describeStore, poolSizeFromEnv } from './open-store';

const URL = 'postgres://hub@db.example/kyoten';

describe('DATABASE_POOL_SIZE', () => {
  it('sizes the pool of DATABASE_URL, and the requests let at the database with it (A12)', () => {
    expect(poolSizeFromEnv({ DATABASE_URL: URL })).toBe(DEFAULT_POOL_SIZE);
    expect(poolSizeFromEnv({ DATABASE_URL: URL, DATABASE_POOL_SIZE: ' 20 ' })).toBe(20);
    expect(dbWorkFor(poolSizeFromEnv({ DATABASE_URL: URL, DATABASE_POOL_SIZE: '20' })).inFlight).toBe(32);
    // a pull catching a device up for every 10 connections
    expect(dbWorkFor(poolSizeFromEnv({ DATABASE_URL: URL, DATABASE_POOL_SIZE: '20' })).catchUp?.inFlight).toBe(2);
    expect(DB_WORK.catchUp?.inFlight).toBe(1);
    expect(dbWorkFor(poolSizeFromEnv({ DATABASE_URL: URL, DATABASE_POOL_SIZE: '2' }))).toEqual(DB_WORK);
  });

  it('leaves the embedded store its own pool, and the gate sized for it: a wider gate would queue requests where nothing times them out', () => {
    expect(poolSizeFromEnv({ DATABASE_POOL_SIZE: '50' })).toBe(DEFAULT_POOL_SIZE);
    expect(dbWorkFor(poolSizeFromEnv({ DATABASE_POOL_SIZE: '50' }))).toEqual(DB_WORK);
  });

  it('refuses, in words, what is not a whole number from 1 to 100, with or without DATABASE_URL', () => {
    for (const bad of ['0', '101', '-3', '2.5', '10.0', '0x14', '1e1', '+5', 'many']) {
      expect(() => poolSizeFromEnv({ DATABASE_URL: URL, DATABASE_POOL_SIZE: bad })).toThrow(`DATABASE_POOL_SIZE must be a whole number from 1 to 100, got "${bad}"`);
      expect(() => poolSizeFromEnv({ DATABASE_POOL_SIZE: bad })).toThrow(RangeError);
    }
  });
});

describe('describeStore', () => {
  it('names the database, host and port of DATABASE_URL, never its password', () => {
    const said = describeStore({ DATABASE_URL: 'postgres://kyoten:s3cret@db.example.jp:6432/kyoten_hub' });
    expect(said).toBe('PostgreSQL database "kyoten_hub" on db.example.jp:6432 (DATABASE_URL)');
    expect(said).not.toContain('s3cret');
  });

  it('names a socket connection and a database left to the default', () => {
    expect(describeStore({ DATABASE_URL: 'postgresql:///kyoten?host=/var/run/postgresql' })).toBe(
      'PostgreSQL database "kyoten" on /var/run/postgresql (DATABASE_URL)',
    );
    expect(describeStore({ DATABASE_URL: 'postgresql://kyoten@localhost' })).toBe(
      `PostgreSQL database "(the user's own)" on localhost (DATABASE_URL)`,
    );
  });

  it("says only the variable for a connection string that is not a URL, which may hold a password", () => {
    expect(describeStore({ DATABASE_URL: 'host=db dbname=kyoten password=s3cret' })).toBe('PostgreSQL (DATABASE_URL)');
  });

  it('names the embedded store by its folder', () => {
    expect(describeStore({ KYOTEN_DATA_DIR: '/var/lib/kyoten' })).toBe('embedded PostgreSQL in /var/lib/kyoten');
  });
});
