/**
 * Says something to a screen reader's user without showing it: one polite live region for the
 * whole app, made on first use. For a change whose visible sign goes with the control that made it
 * (a call's result buttons leave the screen once the result is written).
 */
let region: HTMLElement | null = null;

export function announce(text: string): void {
  if (region === null || !region.isConnected) {
    region = document.createElement('div');
    region.setAttribute('role', 'status');
    region.className = 'visually-hidden';
    document.body.append(region);
  }
  const target = region;
  // emptied first, so the same words said twice (two calls of 不在) are said twice
  target.textContent = '';
  requestAnimationFrame(() => {
    target.textContent = text;
  });
}
