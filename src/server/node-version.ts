/**
 * The Node.js the hub needs (package.json `engines`): a host whose service runs an older one (Debian
 * 12's own `nodejs` 18 in /usr/bin beside a newer one in /usr/local/bin, the unit naming
 * /usr/bin/node) failed at its first push with a TypeError (`isWellFormed`), not in words.
 */
export const MIN_NODE = { major: 20, minor: 19 } as const;

/** Words for the admin when `version` (process.versions.node) is too old, else null. */
export function nodeVersionProblem(version: string, execPath: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return null;
  const need = `${MIN_NODE.major}.${MIN_NODE.minor}`;
  return (
    `この Node.js（${execPath}、${version}）は古すぎます。拠点サーバーには Node.js ${need} 以上（本番は 22 以上を推奨）が必要です。` +
    `サービスの ExecStart や PATH が新しい Node.js を指しているか確かめてください（docs/hub-server.md、導入の手順 1）。\n` +
    `Node.js ${version} at ${execPath} is too old: the hub needs ${need} or newer (22 or newer in production). ` +
    'Check which node the service unit and PATH name (docs/hub-server.md, step 1).'
  );
}
