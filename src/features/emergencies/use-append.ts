/** Appending one entry to a case from the case screen's forms (useCaseAppend), its failure in this screen's words. */
import { useCaseAppend } from '../../state/use-case-append';
import { toVaultError } from '../../vault/errors';
import { T } from './text';

// The storage's own words (Japanese, never a developer's message such as a RangeError's): the
// developer's detail stays on the error (VaultError.detail), off the screen.
const failed = (err: unknown) => `${T.saveFailed} ${toVaultError(err).message}`;

export function useAppend(caseId: string) {
  return useCaseAppend(caseId, failed);
}
