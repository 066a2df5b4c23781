/**
 * Fictional phone numbers for demo data, written the many ways families actually write them.
 * The local part always starts with 0, which Japanese numbering never assigns.
 */
import type { Random } from './demo-random';

function toFullWidth(s: string): string {
  return s.replace(/[0-9-]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

function formatParts(r: Random, area: string, local: string, line: string): string {
  const roll = r.next();
  if (roll < 0.6) return `${area}-${local}-${line}`;
  if (roll < 0.72) return `${area}${local}${line}`;
  if (roll < 0.82) return `${area} ${local} ${line}`;
  if (roll < 0.9) return toFullWidth(`${area}-${local}-${line}`);
  if (roll < 0.95) return `+81 ${area.slice(1)}-${local}-${line}`;
  return `(${area}) ${local}-${line}`;
}

/** 090/080/070-0xxx-xxxx in a random writing style. */
export function demoMobile(r: Random): string {
  return formatParts(r, r.pick(['090', '080', '070']), `0${r.digits(3)}`, r.digits(4));
}

/** 03-0xxx-xxxx in a random writing style. */
export function demoLandline(r: Random): string {
  return formatParts(r, '03', `0${r.digits(3)}`, r.digits(4));
}

/** 03-0xxx-xxxx written plainly, for offices and hospitals. */
export function demoOfficePhone(r: Random): string {
  return `03-0${r.digits(3)}-${r.digits(4)}`;
}
