/**
 * Says something to a screen reader's user without showing it: one polite live region for the
 * whole app. For a change whose visible sign goes with the control that made it (a call's result
 * buttons leave the screen once the result is written).
 *
 * A live region is heard only once the screen reader has seen it: one made at the moment of the
 * first message (the first result of the night) was often silent. The app makes it at start
 * (`prepareAnnouncer`); one made here late waits a moment before it speaks.
 */
let region: HTMLElement | null = null;

function ensureRegion(): { target: HTMLElement; fresh: boolean } {
  if (region !== null && region.isConnected) return { target: region, fresh: false };
  region = document.createElement('div');
  region.setAttribute('role', 'status');
  region.className = 'visually-hidden';
  document.body.append(region);
  return { target: region, fresh: true };
}

/** Makes the live region now, before anything is said (main.tsx, at start). */
export function prepareAnnouncer(): void {
  ensureRegion();
}

/** The last message asked for: one written late (a region just made waits) never covers a newer one. */
let latest = 0;

export function announce(text: string): void {
  const { target, fresh } = ensureRegion();
  // emptied first, so the same words said twice (two calls of 不在) are said twice
  target.textContent = '';
  const mine = ++latest;
  const say = () => {
    if (mine === latest) target.textContent = text;
  };
  if (fresh) setTimeout(say, 250);
  else requestAnimationFrame(say);
}
