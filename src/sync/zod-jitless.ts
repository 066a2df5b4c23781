/**
 * Imported first by the pull worker (pull-worker.ts), before any module that builds a schema: zod's
 * first object schema tries `new Function('')`, which the CSP refuses, and the worker reported a
 * violation at every start (the page is told the same in src/app/boot.tsx). The parsers work the
 * same either way.
 */
import { z } from 'zod';

z.config({ jitless: true });
