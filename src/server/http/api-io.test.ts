import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../services/errors';
import { clearedCookie, clientAddress, sendError, sendJsonPartsCompressed, sessionCookie, sessionToken } from './api-io';

const request = (headers: Record<string, string>, remoteAddress = '10.0.0.5') =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('clientAddress (the sign-in throttle per address)', () => {
  it('reads the socket, not a header any client can write, unless a proxy is trusted', () => {
    expect(clientAddress(request({ 'x-forwarded-for': '203.0.113.9' }), false)).toBe('10.0.0.5');
  });

  it('behind a trusted proxy, takes the address the proxy added last', () => {
    expect(clientAddress(request({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9' }), true)).toBe('203.0.113.9');
    expect(clientAddress(request({}), true)).toBe('10.0.0.5');
  });
});

describe('sendJsonPartsCompressed (a pull page)', () => {
  const encodingFor = (acceptEncoding: string | undefined) => {
    let headers: Record<string, string> = {};
    const res = {
      writeHead: (_status: number, h: Record<string, string>) => void (headers = h),
      cork: () => undefined,
      write: () => true,
      end: () => undefined,
    } as unknown as ServerResponse;
    sendJsonPartsCompressed(request(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }), res, 200, ['{"records":[', '"x"'.repeat(2_000), ']}']);
    return headers['Content-Encoding'] ?? null;
  };

  it('compresses as the request prefers: brotli at equal q, gzip when it ranks gzip higher, none when it refuses both', () => {
    expect(encodingFor('gzip, deflate, br, zstd')).toBe('br');
    expect(encodingFor('gzip;q=1, br;q=0.1')).toBe('gzip');
    expect(encodingFor('br;q=0, *')).toBe('gzip');
    expect(encodingFor('identity')).toBeNull();
    expect(encodingFor(undefined)).toBeNull();
  });
});

/** A request over https through the TLS proxy (its X-Forwarded-Proto), or over plain http. */
const overHttps = (cookie?: string) => request({ 'x-forwarded-proto': 'https', ...(cookie === undefined ? {} : { cookie }) });
const overHttp = (cookie?: string) => request(cookie === undefined ? {} : { cookie });

/** The detail of the 401 the account service gives a request whose session cookie it did not get. */
const signedOutDetail = (req: IncomingMessage): string | undefined => {
  let body = '';
  const res = {
    req,
    writeHead: () => undefined,
    cork: () => undefined,
    write: () => true,
    end: (last: string) => void (body = last),
  } as unknown as ServerResponse;
  sendError(res, new ServiceError('signed-out', 'サインインの有効期限が切れました。', 'no session cookie'));
  return (JSON.parse(body) as { detail?: string }).detail;
};

describe('the session cookie [A5]', () => {
  it('[A5] over https is __Host-kyoten_session (Secure, Path=/, no Domain), and the old name is cleared beside it', () => {
    expect(sessionCookie(overHttps(), 'tok', 43_200)).toEqual([
      '__Host-kyoten_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure',
      'kyoten_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
    ]);
    // TLS to the hub itself, with no proxy in front
    const direct = { headers: {}, socket: { encrypted: true } } as unknown as IncomingMessage;
    expect(sessionCookie(direct, 'tok', 60)[0]).toMatch(/^__Host-kyoten_session=tok; .*; Secure$/);
  });

  it('[A5] over plain http (localhost, the tests) keeps kyoten_session, without Secure', () => {
    expect(sessionCookie(overHttp(), 'tok', 60)).toEqual(['kyoten_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=60']);
    expect(sessionToken(overHttp('kyoten_session=tok'))).toBe('tok');
  });

  it('[A5] over https a kyoten_session cookie planted by another host of the domain is not read: the phone signs in, and stays signed in', () => {
    // The planter's cookie comes first (a narrower Path): beside the phone's own, it changes nothing.
    expect(sessionToken(overHttps('kyoten_session=planted; __Host-kyoten_session=real'))).toBe('real');
    expect(sessionToken(overHttps('__Host-kyoten_session=real; kyoten_session=planted; kyoten_session=again'))).toBe('real');
    // Alone it signs nobody in, and the 401 says why.
    const planted = overHttps('kyoten_session=planted');
    expect(sessionToken(planted)).toBeUndefined();
    expect(signedOutDetail(planted)).toMatch(/^over https the session cookie is __Host-kyoten_session; the kyoten_session cookie sent is not read/);
  });

  it('[A5] two session cookies of the name read: neither is taken, and the 401 says two were sent, not that none was', () => {
    for (const req of [overHttp('kyoten_session=planted; kyoten_session=real'), overHttps('__Host-kyoten_session=a; __Host-kyoten_session=b')]) {
      expect(sessionToken(req)).toBeUndefined();
      expect(signedOutDetail(req)).toMatch(/^two session cookies were sent/);
    }
    // a request that sent none is told so, as before
    const none = overHttps();
    expect(sessionToken(none)).toBeUndefined();
    expect(signedOutDetail(none)).toBe('no session cookie');
  });

  it('[A5] sign-out clears the cookie of the scheme the request came by, and over https the old name too', () => {
    expect(clearedCookie(overHttps())).toEqual([
      '__Host-kyoten_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
      'kyoten_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
    ]);
    expect(clearedCookie(overHttp())).toEqual(['kyoten_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0']);
  });
});
