/**
 * The 閲覧記録 of what leaves the device from 請求・出力: a claim file written (明細 and 一覧 carry
 * names, 受給者証番号 and what was said on the call, in clear) or the evidence report opened for
 * printing. Like a household's print sheet, the entry is written before the file: a log that cannot
 * be written stops the export (the unlock fails closed the same way), and the screen says why.
 */
import { useCallback } from 'react';
import type { ClaimCsvEncoding } from '../../domain/claim-csv';
import { useApp } from '../../state/store';
import type { AccessAction, AccessLogEntry } from '../../vault/types';
import type { ClaimFile, ClaimFileKind } from './claim-files';
import { T } from './text';

/** 2026年11月・相談支援センター みなと・明細: what left, as the 閲覧記録 shows it. */
export function exportSubject(month: string, officeName: string, what: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月・${officeName}・${what}`;
}

/** How much of a file's SHA-256 the 閲覧記録 keeps: enough to tell two files apart, short enough to read. */
const HASH_SHOWN = 16;

/**
 * A claim file written, as the 閲覧記録 keeps it: 「2026年11月・みなと・明細CSV（Shift_JIS・SHA-256
 * 3f9a…・署名を除く 8c21…）」, the second hash that of what the file says of the claim (claim-files.ts),
 * when it differs. 請求済み reads it back to tell whether the files it keeps are the ones sent.
 */
export function exportFileSubject(month: string, officeName: string, file: ClaimFile, encoding: ClaimCsvEncoding): string {
  const content = file.contentSha256 === file.sha256 ? '' : `・${CONTENT} ${file.contentSha256.slice(0, HASH_SHOWN)}`;
  return exportSubject(month, officeName, `${T.exportKinds[file.kind]}（${T.encodingNames[encoding]}・SHA-256 ${file.sha256.slice(0, HASH_SHOWN)}${content}）`);
}

const CONTENT = '署名を除く';

/** The last time each file of the month was written, by the 閲覧記録: when, in which encoding, the start of its content's hash. */
export interface LastExport {
  readonly at: string;
  readonly encoding: ClaimCsvEncoding;
  /** the start of the hash of what the file said of the claim (of the whole file when the entry names one hash) */
  readonly contentStart: string;
}

/** `found`: what earlier parts of the log gave, added to (a later export of a file replaces it). */
export function lastExports(
  log: readonly AccessLogEntry[],
  month: string,
  officeName: string,
  found: Partial<Record<ClaimFileKind, LastExport>> = {},
): Partial<Record<ClaimFileKind, LastExport>> {
  const prefix = exportSubject(month, officeName, '');
  const hashes = new RegExp(`^([0-9a-f]+)(?:・${CONTENT} ([0-9a-f]+))?）$`);
  for (const e of log) {
    if (e.action !== 'export-claims' || !e.reason?.startsWith(prefix)) continue;
    const rest = e.reason.slice(prefix.length);
    for (const kind of ['summary', 'detail'] as const) {
      for (const encoding of Object.keys(T.encodingNames) as ClaimCsvEncoding[]) {
        const head = `${T.exportKinds[kind]}（${T.encodingNames[encoding]}・SHA-256 `;
        const m = rest.startsWith(head) ? hashes.exec(rest.slice(head.length)) : null;
        const before = found[kind];
        if (m && (before === undefined || Date.parse(e.at) >= Date.parse(before.at))) found[kind] = { at: e.at, encoding, contentStart: m[2] ?? m[1]! };
      }
    }
  }
  return found;
}

/**
 * lastExports over the whole 閲覧記録, read newest first a page at a time: it stops at the page
 * where both files have been found (five years of log are never decrypted at once for one close).
 */
export async function findLastExports(
  scan: (visit: (page: AccessLogEntry[]) => boolean | void) => Promise<void>,
  month: string,
  officeName: string,
): Promise<Partial<Record<ClaimFileKind, LastExport>>> {
  const found: Partial<Record<ClaimFileKind, LastExport>> = {};
  await scan((page) => {
    // each page in the order written, as lastExports reads a log
    lastExports([...page].reverse(), month, officeName, found);
    return found.summary !== undefined && found.detail !== undefined;
  });
  return found;
}

/** Writes the entry for an export of `subject`; rejects when it cannot (locked, storage failing). */
export function useLogExport(action: Extract<AccessAction, 'export-claims' | 'print-evidence'> = 'export-claims') {
  const session = useApp((s) => s.session);
  return useCallback(
    async (subject: string) => {
      if (!session) throw new Error('locked');
      await session.logAccess(action, null, subject);
    },
    [session, action],
  );
}
