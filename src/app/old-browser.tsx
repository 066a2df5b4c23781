/**
 * Shown instead of the app on a browser too old for the evidence: the case chain's canonical JSON
 * (RFC 8785, the canonicalize library) calls String.prototype.isWellFormed (Safari 16.4, Chrome
 * 111). Without it no case entry could be written or checked (every case would read as tampered).
 * Says so, and what to update, before anything is typed that could not be kept. (A browser without
 * Ed25519 runs the app; only the hub's signatures go unchecked there: receipts.ts.)
 */
import { Gate } from './gate';
import { T } from './text';

/** What the browser lacks (old-browser-check.ts, checked by main.tsx before the app loads). */
export { missingFeatures } from './old-browser-check';

export function OldBrowserScreen({ missing }: { missing: readonly string[] }) {
  return (
    <Gate title={T.oldBrowserTitle}>
      <p>{T.oldBrowserWhy}</p>
      <h2>{T.oldBrowserHowTitle}</h2>
      <ul>
        {T.oldBrowserHow.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="field__hint">
        {T.oldBrowserMissing} <code>{missing.join('、')}</code>
      </p>
    </Gate>
  );
}
