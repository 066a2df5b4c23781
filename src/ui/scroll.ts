/**
 * Brings an element into the middle of the screen: smoothly, or at once for a user who asked the
 * system for less motion (prefers-reduced-motion).
 */
export function bringIntoView(el: Element | null | undefined): void {
  const still = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el?.scrollIntoView?.({ block: 'center', behavior: still ? 'auto' : 'smooth' });
}
