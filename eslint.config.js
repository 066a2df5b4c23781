/**
 * Lint guards the architecture the type checker cannot see (the layout in ../shared/STYLE.md):
 * imports point one way, domain ← protocol ← vault/sync ← state ← features ← app, the server uses
 * only domain and protocol, a feature never imports another feature, and nothing imports app/
 * (the composition root). `npm run check` runs it.
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
  layer(['src/domain/**'], [...into('protocol', 'vault', 'sync', 'state', 'features', 'ui', 'app', 'guide', 'server'), ...noReact]),
  layer(['src/protocol/**'], [...into('vault', 'sync', 'state', 'features', 'ui', 'app', 'guide', 'server'), ...noReact]),
  layer(['src/vault/**'], [...into('sync', 'state', 'features', 'ui', 'app', 'guide', 'server'), ...noReact]),
  layer(['src/sync/**'], [...into('state', 'features', 'ui', 'app', 'guide', 'server'), ...noReact]),
  // ui/ is drawn by state/ (the drafted-form hook) and the features: it reads no state, vault or sync itself.
  layer(['src/ui/**'], into('features', 'app', 'server', 'sync', 'vault', 'state')),
  // The state the features share (the zustand store, the router hook, the draft and log hooks).
  layer(['src/state/**'], into('features', 'app', 'server')),
  layer(['src/app/**'], into('server')),
  // The guide's build step and page list (docs/guide → /guide/): the app links to it, it reads no app state.
  layer(['src/guide/**'], [...into('vault', 'sync', 'state', 'features', 'ui', 'app', 'server'), ...noReact]),
  layer(['src/server/**'], [...into('vault', 'sync', 'features', 'ui', 'app'), ...noReact]),
  // Times are Japan time whatever the device's zone (DOMAIN.md §5): the device's local calendar and
  // clock are read nowhere in src/ (japan-time.ts works in UTC at +9). A test may set its own.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(getFullYear|getMonth|getDate|getDay|getHours|getMinutes|getTimezoneOffset|setFullYear|setMonth|setDate|setHours|setMinutes|toLocaleDateString|toLocaleTimeString|toDateString|toTimeString)$/]",
          message: "The device's local calendar or clock: use src/domain/japan-time.ts (Japan time whatever the zone, DOMAIN.md §5).",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length>1]",
          message: 'new Date(y, m, d) is the device\'s local time: use Date.UTC or src/domain/japan-time.ts.',
        },
        {
          // Intl.DateTimeFormat formats in the device's zone unless told otherwise.
          selector: "NewExpression[callee.object.name='Intl'][callee.property.name='DateTimeFormat']:not(:has(Property[key.name='timeZone']))",
          message: "Intl.DateTimeFormat without a timeZone formats in the device's zone: give timeZone, or use src/domain/japan-time.ts.",
        },
        {
          selector: "CallExpression[callee.property.name='toLocaleString'][callee.object.type='NewExpression'][callee.object.callee.name='Date']",
          message: "A Date's toLocaleString is the device's zone: use src/domain/japan-time.ts (DOMAIN.md §5).",
        },
        {
          selector: "MemberExpression[property.name='valueAsDate']",
          message: "A date field's valueAsDate is the device's zone: read its value (a Japan date) as text.",
        },
      ],
    },
  },
  // A feature never imports another: from src/features/<a>/, '../<b>/…' is a sibling feature.
  layer(['src/features/**'], [
    ...into('server', 'app'),
    { regex: '^\\.\\./(?!\\.\\.)', message: 'A feature never imports another feature; move what both need to ui/, state/ or domain/ (STYLE.md).' },
    { regex: '^(\\.\\./){2,}features/', message: 'A feature never imports another feature, however the path is written (STYLE.md).' },
  ]),
];
