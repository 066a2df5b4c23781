/**
 * Appending one entry to a case from a form: busy while writing, the rules' messages on refusal.
 * One at a time: a second tap while the first entry is being written writes nothing (evidence is
 * never taken back, so a double tap on 「取消を記録」 would leave two entries for good).
 */
import { useCallback, useRef, useState } from 'react';
import { CaseEntryRejected, useApp } from '../../state/store';
import type { EntryBody } from '../../domain/emergency-case';
import { T } from './text';

export function useAppend(caseId: string) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const writing = useRef(false);

  const append = useCallback(
    async (body: EntryBody): Promise<boolean> => {
      if (writing.current) return false;
      writing.current = true;
      setBusy(true);
      setErrors([]);
      try {
        await appendCaseEntry(caseId, body);
        return true;
      } catch (err) {
        setErrors(err instanceof CaseEntryRejected ? err.messages : [T.saveFailed + (err instanceof Error ? ` ${err.message}` : '')]);
        return false;
      } finally {
        writing.current = false;
        setBusy(false);
      }
    },
    [appendCaseEntry, caseId],
  );

  return { append, errors, busy, setErrors };
}
