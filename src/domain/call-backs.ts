/**
 * 折り返し待ち: a facility that said it would call back. The morning's coordinator, or whoever closes
 * the case, needs to know which still wait: each may be holding a bed for the person, and is told
 * the person went elsewhere.
 */
import { isDemoId } from './demo-id';
import type { ContactBody, Current } from './emergency-case';
import { officeNumberKey } from './facility-twins';

/**
 * Whether the same facility was called again after this call (a 折り返し recorded, or a new call): its
 * 「折り返しがあった」 is then answered, and a second tap would add another empty call-back.
 */
export function calledAgain(contacts: readonly Current<ContactBody>[], c: Current<ContactBody>): boolean {
  const same = (o: ContactBody) => sameFacility(o, c.body);
  const at = Date.parse(c.body.contactedAt);
  return contacts.some((o) => o !== c && same(o.body) && (Date.parse(o.body.contactedAt) > at || (Date.parse(o.body.contactedAt) === at && Date.parse(o.recordedAt) > Date.parse(c.recordedAt))));
}

/**
 * One facility: the same record, or two records of one office registered twice (the same 事業所番号:
 * the match shows them as one, and its call back may be recorded on either), or the same name typed by hand.
 */
export function sameFacility(a: ContactBody, b: ContactBody): boolean {
  if (a.facilityId !== null && a.facilityId === b.facilityId) return true;
  const number = officeNumberKey(a.facilityOfficeNumber);
  // the demo's made-up offices pair only with each other, as in officeTwins
  if (number !== '' && number === officeNumberKey(b.facilityOfficeNumber) && isDemoId(a.facilityId ?? '') === isDemoId(b.facilityId ?? '')) return true;
  return a.facilityId === null && b.facilityId === null && a.facilityName === b.facilityName;
}

/** The calls answered 折り返し待ち whose facility has not been called, nor called back, since. */
export function awaitingCallBack(contacts: readonly Current<ContactBody>[]): Current<ContactBody>[] {
  return contacts.filter((c) => c.body.result === '折り返し待ち' && !calledAgain(contacts, c));
}

/** The facilities still waiting, each once (an office registered twice is one), by the name first called. */
export function facilitiesAwaitingCallBack(contacts: readonly Current<ContactBody>[]): string[] {
  const waiting: ContactBody[] = [];
  for (const c of awaitingCallBack(contacts)) if (!waiting.some((w) => sameFacility(w, c.body))) waiting.push(c.body);
  return [...new Set(waiting.map((w) => w.facilityName))];
}
