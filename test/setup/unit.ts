import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import './wait-for';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { createRequire } from 'node:module';

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

/**
 * jsdom finds a `<label for>`'s field by walking the whole document, and an element's `labels` asks
 * every label in it: each getByLabelText on a registration form of a few hundred elements walked it
 * hundreds of times, over half of those tests' time. A browser looks the id up; so does this, in the
 * document's own id map (jsdom's `getElementById`), keeping jsdom's answer everywhere else (no `for`,
 * a label outside the document).
 */
const jsdomModule = createRequire(import.meta.url);
type LabelImpl = { getAttributeNS(ns: null, name: string): string | null; getRootNode(options: object): { getElementById?: (id: string) => unknown } };
const { implementation: Label } = jsdomModule('jsdom/lib/jsdom/living/nodes/HTMLLabelElement-impl.js') as { implementation: { prototype: object } };
const { isLabelable } = jsdomModule('jsdom/lib/jsdom/living/helpers/form-controls.js') as { isLabelable(node: unknown): boolean };
const walked = Object.getOwnPropertyDescriptor(Label.prototype, 'control')!.get!;
Object.defineProperty(Label.prototype, 'control', {
  configurable: true,
  get(this: LabelImpl) {
    const id = this.getAttributeNS(null, 'for');
    const root = this.getRootNode({});
    if (id === null || id === '' || typeof root.getElementById !== 'function' || !('_byIdCache' in root)) return walked.call(this);
    const element = root.getElementById(id);
    return element !== null && element !== undefined && isLabelable(element) ? element : null;
  },
});
