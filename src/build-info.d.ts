/**
 * Put in by the build (vite.config.ts `define`; vitest.config.ts gives the tests one): package.json's
 * version, the short commit and its date, e.g. `0.1.0 (96e049b0, 2026-12-07)`. Shown in 設定 →
 * 「この端末の情報」. Not defined for the hub server (tsx runs it as it is): only the app reads it.
 */
declare const __APP_BUILD__: string;
