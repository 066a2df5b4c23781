/**
 * A printed document's running text: what the page margin boxes print at the foot of every page
 * (`content: var(--…)` in the document's named @page), so a page that comes loose still says whose
 * it is. Set through the CSSOM on <html>, which the page margin boxes inherit from: the CSP
 * (style-src 'self') refuses an inline style attribute or element.
 */
import { useLayoutEffect } from 'react';

/** `text` as a CSS string literal: a line break would end the declaration, `\` and `"` the string. */
export function cssString(text: string): string {
  return `"${text.replace(/[\r\n\f]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Sets `property` (a custom property the document's @page reads) to `text` while mounted; null: none.
 * In the commit that shows the page (a layout effect): the 印刷 button it enables never comes before
 * the foot it prints, for a tap or a test; a passive effect could run a frame later.
 */
export function usePrintRunningText(property: `--${string}`, text: string | null): void {
  useLayoutEffect(() => {
    if (text === null) return;
    const root = document.documentElement.style;
    root.setProperty(property, cssString(text));
    return () => {
      root.removeProperty(property);
    };
  }, [property, text]);
}
