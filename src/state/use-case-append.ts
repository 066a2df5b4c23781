/**
 * Appending one entry to a case from a form or a button: busy while writing, the rules' messages
 * on refusal, `failed(err)` for any other failure (a function kept from render to render). One at a time: a second tap while the first
 * entry is being written writes nothing (evidence is never taken back, so a double tap on
 * 「取消を記録」 would leave two entries for good). Shared by the case screen and the match.
 * `dropDraft`: the form's draft, deleted with the entry (useDraftedForm's saveWith hands it).
 */
import { useCallback, useRef, useState } from 'react';
import type { EntryBody } from '../domain/emergency-case';
import { CaseEntryRejected, useApp } from './store';

export function useCaseAppend(caseId: string, failed: (err: unknown) => string) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const writing = useRef(false);

  const append = useCallback(
    async (body: EntryBody, dropDraft?: string): Promise<boolean> => {
      if (writing.current) return false;
      writing.current = true;
      setBusy(true);
      setErrors([]);
      try {
        await appendCaseEntry(caseId, body, dropDraft === undefined ? undefined : { dropDraft });
        return true;
      } catch (err) {
        setErrors(err instanceof CaseEntryRejected ? err.messages : [failed(err)]);
        return false;
      } finally {
        writing.current = false;
        setBusy(false);
      }
    },
    [appendCaseEntry, caseId, failed],
  );

  return { append, errors, busy, setErrors };
}
