/** Appending one entry to a case from a form: busy while writing, the rules' messages on refusal. */
import { useCallback, useState } from 'react';
import { CaseEntryRejected, useApp } from '../../state/store';
import type { EntryBody } from '../../domain/emergency-case';
import { T } from './text';

export function useAppend(caseId: string) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);

  const append = useCallback(
    async (body: EntryBody): Promise<boolean> => {
      setBusy(true);
      setErrors([]);
      try {
        await appendCaseEntry(caseId, body);
        return true;
      } catch (err) {
        setErrors(err instanceof CaseEntryRejected ? err.messages : [T.saveFailed + (err instanceof Error ? ` ${err.message}` : '')]);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [appendCaseEntry, caseId],
  );

  return { append, errors, busy, setErrors };
}
