import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import './wait-for';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy* and waitFor give up after 1 s by default. The screens wait on real WebCrypto and Dexie,
// which on a busy two-core machine can take longer: wait for the condition, up to 10 s (the
// project's testTimeout, vitest.config.ts, is 30 s).
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  // the page's one live region (src/ui/announce.ts) is made on document.body and outlives render's
  // cleanup: what one test said is not on the next one's page
  for (const region of document.querySelectorAll('body > .visually-hidden[role="status"]')) region.remove();
});
