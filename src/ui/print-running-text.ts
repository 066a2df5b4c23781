/**
 * A printed document's running text: what the page margin boxes print at the foot of every page
 * (`content: var(--…)` in the document's named @page), so a page that comes loose still says whose
 * it is. Set through the CSSOM on <html>, which the page margin boxes inherit from: the CSP
 * (style-src 'self') refuses an inline style attribute or element.
 */
import { useEffect } from 'react';

/** `text` as a CSS string literal: a line break would end the declaration, `\` and `"` the string. */
export function cssString(text: string): string {
  return `"${text.replace(/[\r\n\f]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Sets `property` (a custom property the document's @page reads) to `text` while mounted; null: none. */
export function usePrintRunningText(property: `--${string}`, text: string | null): void {
  useEffect(() => {
    if (text === null) return;
    const root = document.documentElement.style;
    root.setProperty(property, cssString(text));
    return () => {
      root.removeProperty(property);
    };
  }, [property, text]);
}
