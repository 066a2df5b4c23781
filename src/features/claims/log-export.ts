/**
 * The 閲覧記録 of what leaves the device from 請求・出力: a claim file written (明細 and 一覧 carry
 * names, 受給者証番号 and what was said on the call, in clear) or the evidence report opened for
 * printing. Like a household's print sheet, the entry is written before the file: a log that cannot
 * be written stops the export (the unlock fails closed the same way), and the screen says why.
 */
import { useCallback } from 'react';
import { useApp } from '../../state/store';
import type { AccessAction } from '../../vault/types';

/** 2026年11月・相談支援センター みなと・明細: what left, as the 閲覧記録 shows it. */
export function exportSubject(month: string, officeName: string, what: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月・${officeName}・${what}`;
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
