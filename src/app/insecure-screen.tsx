/**
 * Shown instead of the app when the page is not a secure context (plain http from another
 * machine): WebCrypto and the service worker exist only on https pages and on localhost, so the
 * vault could not be opened, and nobody should type a passphrase into a page that travels in
 * clear. Says so in Japanese, and how to open it instead.
 */
import { Gate } from './gate';
import { T } from './text';

export function InsecureScreen({ origin }: { origin: string }) {
  const port = /:(\d+)$/.exec(origin)?.[1];
  return (
    <Gate title={T.insecureTitle}>
      <p>{T.insecureWhy}</p>
      <h2>{T.insecureHowTitle}</h2>
      <ul>
        {port === undefined ? (
          <li>
            {T.insecureUseHttps} <code>{origin.replace(/^http:/, 'https:')}/</code>
          </li>
        ) : (
          // The server itself speaks plain http on that port (https://host:port/ cannot open): https
          // is the reverse proxy's, at an address only the administrator knows.
          <li>{T.insecureUseHubHttps}</li>
        )}
        <li>
          {T.insecureUseLocalhost} <code>{`http://localhost${port === undefined ? '' : `:${port}`}/`}</code>
        </li>
      </ul>
      <p>{T.insecureForAdmin}</p>
      <p className="field__hint">
        {T.insecureOpenedAt} <code>{origin}/</code>
      </p>
    </Gate>
  );
}
