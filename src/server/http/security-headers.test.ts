import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers';

/** The policy as directive → sources. */
const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name = '', ...sources] = d.trim().split(/\s+/);
    return [name, sources] as const;
  }),
);

describe('the Content-Security-Policy of every answer', () => {
  it('takes images from the hub only: no data: image, which neither the app nor the guide uses', () => {
    expect(directives.get('img-src')).toEqual(["'self'"]);
    expect([...directives].filter(([, sources]) => sources.includes('data:')).map(([name]) => name)).toEqual([]);
  });
});
