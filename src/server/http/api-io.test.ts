import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './api-io';

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
