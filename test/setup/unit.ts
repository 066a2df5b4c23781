import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // the page's one live region (src/ui/announce.ts) is made on document.body and outlives render's
  // cleanup: what one test said is not on the next one's page
  for (const region of document.querySelectorAll('body > .visually-hidden[role="status"]')) region.remove();
});
