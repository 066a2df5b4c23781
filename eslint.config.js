/**
 * Lint guards the architecture the type checker cannot see (the layout in ../shared/STYLE.md):
 * imports point one way, domain ← protocol ← vault/sync ← features ← app, the server uses only
 * domain and protocol, and a feature never imports another feature. `npm run check` runs it.
 */
import tsParser from '@typescript-eslint/parser';

/** Import paths, relative or not, that reach into one of these src/ folders. */
const into = (...folders) => folders.map((f) => ({ regex: `(^|/)(\\.\\./)+${f}(/|$)`, message: `${f}/ is outside what this layer may import (STYLE.md: the arrows point one way).` }));
const noReact = [{ regex: '^react(-dom)?(/|$)', message: 'No React below features/ and ui/ (STYLE.md).' }];

const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  layer(['src/domain/**'], [...into('protocol', 'vault', 'sync', 'features', 'ui', 'app', 'server'), ...noReact]),
  layer(['src/protocol/**'], [...into('vault', 'sync', 'features', 'ui', 'app', 'server'), ...noReact]),
  layer(['src/vault/**'], [...into('sync', 'features', 'ui', 'app', 'server'), ...noReact]),
  layer(['src/sync/**'], [...into('features', 'ui', 'app', 'server'), ...noReact]),
  layer(['src/ui/**'], into('features', 'app', 'server', 'sync')),
  layer(['src/app/**'], into('server')),
  layer(['src/server/**'], [...into('vault', 'sync', 'features', 'ui', 'app'), ...noReact]),
  // A feature never imports another: from src/features/<a>/, '../<b>/…' is a sibling feature.
  layer(['src/features/**'], [...into('server'), { regex: '^\\.\\./(?!\\.\\.)', message: 'A feature never imports another feature; move what both need to ui/, app/ or domain/ (STYLE.md).' }]),
];
