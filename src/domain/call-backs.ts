/**
 * 折り返し待ち: a facility that said it would call back. The morning's coordinator, or whoever closes
 * the case, needs to know which still wait: each may be holding a bed for the person, and is told
 * the person went elsewhere.
 */
import type { ContactBody, Current } from './emergency-case';

/**
 * Whether the same facility was called again after this call (a 折り返し recorded, or a new call): its
 * 「折り返しがあった」 is then answered, and a second tap would add another empty call-back.
 */
export function calledAgain(contacts: readonly Current<ContactBody>[], c: Current<ContactBody>): boolean {
  const same = (o: ContactBody) => (c.body.facilityId !== null ? o.facilityId === c.body.facilityId : o.facilityId === null && o.facilityName === c.body.facilityName);
  const at = Date.parse(c.body.contactedAt);
  return contacts.some((o) => o !== c && same(o.body) && (Date.parse(o.body.contactedAt) > at || (Date.parse(o.body.contactedAt) === at && Date.parse(o.recordedAt) > Date.parse(c.recordedAt))));
}

/** The calls answered 折り返し待ち whose facility has not been called, nor called back, since. */
export function awaitingCallBack(contacts: readonly Current<ContactBody>[]): Current<ContactBody>[] {
  return contacts.filter((c) => c.body.result === '折り返し待ち' && !calledAgain(contacts, c));
}
