/** Appending one entry to a case from the case screen's forms (useCaseAppend), its failure in this screen's words. */
import { useCaseAppend } from '../../state/use-case-append';
import { T } from './text';

const failed = (err: unknown) => T.saveFailed + (err instanceof Error ? ` ${err.message}` : '');

export function useAppend(caseId: string) {
  return useCaseAppend(caseId, failed);
}
