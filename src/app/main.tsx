/** Entry: styles, the app, and (in production) the service worker that keeps it working offline. */
import '../ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createVault } from '../vault/vault';
import { App, startApp } from './app';
import { InsecureScreen } from './insecure-screen';
import { registerServiceWorker } from './service-worker';

const openVault = () => createVault();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

if (!window.isSecureContext) {
  // No WebCrypto, no service worker: say why and how, before anything asks for a passphrase.
  createRoot(container).render(
    <StrictMode>
      <InsecureScreen origin={window.location.origin} />
    </StrictMode>,
  );
} else {
  // Open IndexedDB now: it opens in the browser while React renders and lays out the splash.
  startApp(openVault);

  createRoot(container).render(
    <StrictMode>
      <App openVault={openVault} />
    </StrictMode>,
  );

  registerServiceWorker();
}
