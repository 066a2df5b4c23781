/**
 * Brings an element into view: smoothly, or at once for a user who asked the system for less
 * motion (prefers-reduced-motion). 'center' puts it mid-screen; 'nearest' moves the page only when
 * the element is not already on the screen, and then no further than needed.
 */
export function bringIntoView(el: Element | null | undefined, block: 'center' | 'nearest' = 'center'): void {
  const still = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el?.scrollIntoView?.({ block, behavior: still ? 'auto' : 'smooth' });
}
