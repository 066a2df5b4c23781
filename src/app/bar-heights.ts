/**
 * The app bar's, the page header's and the bottom nav's heights as they are drawn, as the CSS
 * variables the sticky parts use (--appbar-h and --page-header-h above, --bottom-nav-height below).
 * With the phone's text at 200 % the bar wraps and the nav's labels take two lines: fixed heights put
 * each page's title under the bar and 「記録を開始」 or 「保存」 under the nav.
 *
 * When the three together take more than BARS_SHARE of the screen's height, the root is marked
 * data-bars="loose" and the app bar and the page header scroll with the page (styles.css): with the
 * page zoomed to 200 % on a phone (180 × 370) they covered the whole screen, and in landscape with the
 * address bar shown (740 × 300) left a 54 px strip. Text size, page zoom and a turn of the phone all
 * come to this one measure, which no media query sees. The nav stays fixed: it is the one-handed reach.
 *
 * Without ResizeObserver the stylesheet's own values stay.
 */
import { useEffect, type RefObject } from 'react';

/** The part of the screen's height the sticky bars may take before they scroll with the page. */
export const BARS_SHARE = 0.4;

/** Whether bars this tall leave too little of a screen this tall to work in. */
export function barsCrowd(barsHeight: number, screenHeight: number): boolean {
  return screenHeight > 0 && barsHeight > screenHeight * BARS_SHARE;
}

export function useBarHeights(bar: RefObject<HTMLElement | null>, nav: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (typeof ResizeObserver !== 'function') return;
    const root = document.documentElement;
    // the page's header is drawn by each screen, in the shell the bar heads: followed as screens change
    const shell = bar.current?.parentElement ?? null;
    let header: Element | null = null;
    const heightOf = (el: Element | null | undefined) => (el ? Math.ceil(el.getBoundingClientRect().height) : 0);
    const measure = () => {
      const heights = { bar: heightOf(bar.current), header: heightOf(header), nav: heightOf(nav.current) };
      // a bar not drawn (the frame hidden under the lock) keeps the last height it was drawn at
      if (heights.bar) root.style.setProperty('--appbar-h', `${heights.bar}px`);
      if (heights.nav) root.style.setProperty('--bottom-nav-height', `${heights.nav}px`);
      root.style.setProperty('--page-header-h', `${heights.header}px`);
      if (heights.bar === 0 && heights.nav === 0) return;
      // the screen's height with the browser's own bars shown (the initial containing block): the
      // address bar hiding on a scroll (innerHeight growing) must not pin the bars back on the way
      const screen = root.clientHeight || window.innerHeight;
      if (barsCrowd(heights.bar + heights.header + heights.nav, screen)) root.dataset.bars = 'loose';
      else delete root.dataset.bars;
    };
    const observer = new ResizeObserver(measure);
    for (const ref of [bar, nav]) if (ref.current) observer.observe(ref.current);
    const follow = () => {
      const now = shell?.querySelector('.page__header') ?? null;
      if (now === header) return;
      if (header) observer.unobserve(header);
      header = now;
      if (header) observer.observe(header);
      else measure();
    };
    const screens = new MutationObserver(follow);
    if (shell) screens.observe(shell, { childList: true, subtree: true });
    follow();
    // the screen's own height: a turn of the phone, the address bar shown or hidden, the page zoomed
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      screens.disconnect();
      window.removeEventListener('resize', measure);
      for (const name of ['--appbar-h', '--bottom-nav-height', '--page-header-h']) root.style.removeProperty(name);
      delete root.dataset.bars;
    };
  }, [bar, nav]);
}
