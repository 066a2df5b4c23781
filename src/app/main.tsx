/**
 * Entry, kept tiny: the styles, then the app (boot.tsx) once index.html's starting frame has been
 * painted. The app's JavaScript is fetched with the page (modulepreload, vite.config.ts) but run
 * after that first paint, so a phone on a slow line shows 拠点ナビ before the JavaScript is ready.
 */
import '../ui/styles.css';
import { missingFeatures, showOldBrowser } from './old-browser-check';

/** Lets the browser run a task of its own (input, a frame) before the next step. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * React DOM and Dexie are most of the app's code. Each is evaluated in a task of its own, then the
 * app: evaluating all of it at once held the main thread ~0.1 s on this machine (×4 on a slow
 * phone) in one task. All three are downloaded already (modulepreload); only their running is split.
 */
async function load(): Promise<void> {
  await import('react-dom/client');
  await nextTask();
  await import('dexie');
  await nextTask();
  await import('./boot');
}

/**
 * A file of this version is missing (a half-deployed update, a line that dropped): say so instead
 * of spinning, with a button to reload, since the app installed on a home screen has no reload of
 * its own. Plain DOM, styled by the stylesheet's classes: React is what could not load.
 */
function showLoadFailure(error: unknown): void {
  // A module this browser cannot parse is no connection problem: say what to update instead.
  const root = document.getElementById('root');
  if (error instanceof SyntaxError && root) return showOldBrowser(root, [String(error.message).slice(0, 120)]);
  const status = document.querySelector('#root [role=status]');
  if (!status) return;
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'btn btn--primary';
  reload.textContent = '再読み込み';
  reload.addEventListener('click', () => window.location.reload());
  const notice = document.createElement('div');
  notice.className = 'notice notice--error';
  status.replaceWith(notice);
  status.classList.add('notice__text');
  notice.append(status, reload);
  // Changed once in place, so that a screen reader announces it.
  status.textContent = '読み込めませんでした。通信を確かめて、再読み込みしてください。';
}

let started = false;
function boot(): void {
  if (started) return;
  started = true;
  load().catch(showLoadFailure);
}

/**
 * Runs `then` once the browser reports the first contentful paint (the starting frame is on the
 * screen, not just laid out), or after the next frame where paint timing is not reported. A frame
 * callback alone was not enough: Chromium may run a task or two between the frame and its paint,
 * and the app's evaluation (~0.1 s, ×4 on a slow phone) then landed before the first paint.
 */
function afterFirstPaint(then: () => void): void {
  const painted = () => performance.getEntriesByName('first-contentful-paint').length > 0;
  if (painted()) return then();
  if (!PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    requestAnimationFrame(() => setTimeout(then, 0));
    return;
  }
  const observer = new PerformanceObserver(() => {
    if (!painted()) return;
    observer.disconnect();
    setTimeout(then, 0);
  });
  observer.observe({ type: 'paint', buffered: true });
}

// A browser too old to run the app is told so before its code runs (modulepreload may fetch it; a
// module that cannot be parsed is only an error once imported).
// A tab that paints nothing (opened hidden, or hidden before its first frame) starts at once; the
// 3 s timer only guards against a browser that never reports a paint.
const missing = missingFeatures();
const root = document.getElementById('root');
if (missing.length > 0 && root) showOldBrowser(root, missing);
else if (document.visibilityState === 'hidden') boot();
else {
  afterFirstPaint(boot);
  document.addEventListener('visibilitychange', boot, { once: true });
  setTimeout(boot, 3000);
}
