/**
 * The app bar's and the bottom nav's heights as they are drawn, as the CSS variables the sticky
 * parts use (--appbar-h under the bar, --bottom-nav-height above the nav). With the phone's text at
 * 200 % the bar wraps and the nav's labels take two lines: fixed heights put each page's title
 * under the bar and 「記録を開始」 or 「保存」 under the nav. Without ResizeObserver the stylesheet's
 * own values stay.
 */
import { useEffect, type RefObject } from 'react';

export function useBarHeights(bar: RefObject<HTMLElement | null>, nav: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (typeof ResizeObserver !== 'function') return;
    const root = document.documentElement.style;
    const pairs: [RefObject<HTMLElement | null>, string][] = [
      [bar, '--appbar-h'],
      [nav, '--bottom-nav-height'],
    ];
    const observer = new ResizeObserver(() => {
      for (const [ref, name] of pairs) {
        const height = ref.current?.getBoundingClientRect().height;
        if (height) root.setProperty(name, `${Math.ceil(height)}px`);
      }
    });
    for (const [ref] of pairs) if (ref.current) observer.observe(ref.current);
    return () => {
      observer.disconnect();
      for (const [, name] of pairs) root.removeProperty(name);
    };
  }, [bar, nav]);
}
