import type { CaseSubject } from '../../domain/emergency-case';
import { T } from './text';

/**
 * A case's person as the screens name it: a registered person by their record (（氏名未入力） when it
 * has none), an unknown caller's by the name heard on the phone, marked so (it is no registered
 * person's, until linked), and 本人未特定 when none was heard.
 */
export function subjectName(subject: Pick<CaseSubject, 'name' | 'personId'>): string {
  if (subject.personId !== null) return subject.name || T.linkNoName;
  return subject.name ? T.heardName(subject.name) : T.unknownCaller;
}
