/**
 * Shown instead of the app on a browser too old for what the evidence needs: the case chain's
 * canonical JSON (RFC 8785, the canonicalize library) calls String.prototype.isWellFormed (Safari
 * 16.4, Chrome 111), and the hub's countersignatures are Ed25519 in WebCrypto (Safari 17, Chrome
 * 137, Firefox 129). Without the first no case entry could be written or checked (every case would
 * read as tampered); without the second a joined phone could not sync at all. Says so, and what to
 * update, before anything is typed that could not be kept.
 */
import { Gate } from './gate';
import { T } from './text';

/** RFC 8032's first test vector's public key: a valid point, so only a missing algorithm fails. */
const ED25519_PUBLIC_KEY = new Uint8Array([
  0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a,
  0x68, 0xf7, 0x07, 0x51, 0x1a,
]);

/** What the browser lacks of what the app needs (empty when it has it all), by name for the screen. */
export async function missingFeatures(scope: { readonly crypto?: Crypto } = globalThis): Promise<string[]> {
  const missing: string[] = [];
  if (typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed !== 'function') missing.push('String.prototype.isWellFormed');
  try {
    await scope.crypto!.subtle.importKey('raw', ED25519_PUBLIC_KEY, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    missing.push('WebCrypto Ed25519');
  }
  return missing;
}

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
