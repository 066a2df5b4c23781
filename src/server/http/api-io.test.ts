import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, sendJsonPartsCompressed } from './api-io';

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
