/**
 * Entry, kept tiny: the styles, then the app (boot.tsx) once index.html's starting frame has been
 * painted. The app's JavaScript is fetched with the page (modulepreload, vite.config.ts) but run
 * after that first paint, so a phone on a slow line shows 拠点ナビ before the JavaScript is ready.
 */
import '../ui/styles.css';

let started = false;
function boot(): void {
  if (started) return;
  started = true;
  import('./boot').catch(() => {
    // A file of this version is missing (a half-deployed update): say so instead of spinning.
    const status = document.querySelector('#root [role=status]');
    if (status) status.textContent = '読み込めませんでした。通信を確かめて、ページを開き直してください。';
  });
}
// After the next frame (which waits for the stylesheet, so the frame is the styled one). A tab
// that paints nothing (opened hidden, or hidden before its first frame) starts at once; the 3 s
// timer only guards against a browser that never runs the frame callback.
if (document.visibilityState === 'hidden') boot();
else {
  requestAnimationFrame(() => setTimeout(boot, 0));
  document.addEventListener('visibilitychange', boot, { once: true });
  setTimeout(boot, 3000);
}
