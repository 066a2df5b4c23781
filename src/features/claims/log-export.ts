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
import { T } from './text';

/** 2026年11月・相談支援センター みなと・明細: what left, as the 閲覧記録 shows it. */
export function exportSubject(month: string, officeName: string, what: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月・${officeName}・${what}`;
}

/** How much of a file's SHA-256 the 閲覧記録 keeps: enough to tell two files apart, short enough to read. */
const HASH_SHOWN = 16;

/**
 * A claim file written, as the 閲覧記録 keeps it: 「2026年11月・みなと・明細CSV（Shift_JIS・SHA-256
 * 3f9a…）」. The close reads it back to tell whether the files it writes are the ones sent.
 */
export function exportFileSubject(month: string, officeName: string, kind: 'summary' | 'detail', encoding: ClaimCsvEncoding, sha256: string): string {
  return exportSubject(month, officeName, `${T.exportKinds[kind]}（${T.encodingNames[encoding]}・SHA-256 ${sha256.slice(0, HASH_SHOWN)}）`);
}

/** The last time each file of the month was written, by the 閲覧記録: when, in which encoding, its hash's start. */
export interface LastExport {
  readonly at: string;
  readonly encoding: ClaimCsvEncoding;
  readonly sha256Start: string;
}

export function lastExports(log: readonly AccessLogEntry[], month: string, officeName: string): Partial<Record<'summary' | 'detail', LastExport>> {
  const prefix = exportSubject(month, officeName, '');
  const found: Partial<Record<'summary' | 'detail', LastExport>> = {};
  for (const e of log) {
    if (e.action !== 'export-claims' || !e.reason?.startsWith(prefix)) continue;
    const rest = e.reason.slice(prefix.length);
    for (const kind of ['summary', 'detail'] as const) {
      for (const encoding of Object.keys(T.encodingNames) as ClaimCsvEncoding[]) {
        const head = `${T.exportKinds[kind]}（${T.encodingNames[encoding]}・SHA-256 `;
        const m = rest.startsWith(head) ? /^([0-9a-f]+)）$/.exec(rest.slice(head.length)) : null;
        const before = found[kind];
        if (m && (before === undefined || Date.parse(e.at) >= Date.parse(before.at))) found[kind] = { at: e.at, encoding, sha256Start: m[1]! };
      }
    }
  }
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
