// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from './node-version';

describe('the Node.js the hub runs on', () => {
  it('refuses an older Node in words that name it and where it is, and takes 20.19 and newer', () => {
    const problem = nodeVersionProblem('18.19.0', '/usr/bin/node');
    expect(problem).toContain('/usr/bin/node、18.19.0');
    expect(problem).toContain('Node.js 20.19 以上');
    expect(nodeVersionProblem('20.18.3', '/usr/bin/node')).not.toBeNull();
    for (const ok of ['20.19.0', '20.20.2', '22.12.0', '24.1.0']) expect(nodeVersionProblem(ok, '/usr/local/bin/node'), ok).toBeNull();
  });

  it('agrees with package.json engines', async () => {
    const { engines } = (await import('../../package.json', { with: { type: 'json' } })).default as { engines: { node: string } };
    expect(engines.node).toBe('>=20.19');
  });
});
