/**
 * The office each user of this device last started an emergency case under (対応する事業所):
 * localStorage, one office id per vault user, nothing personal. Storage disabled or full: nothing
 * is remembered, and a network of several offices asks, as on a first use. Here, not in the
 * emergencies feature, because loading the demo names the demo's office too.
 */

const LAST_OFFICE_KEY = 'kyoten:case-office:';

/** The office this user last started a case under on this device, or null. */
export function lastCaseOffice(userId: string): string | null {
  try {
    return localStorage.getItem(LAST_OFFICE_KEY + userId);
  } catch {
    return null;
  }
}

export function rememberCaseOffice(userId: string, officeId: string): void {
  if (officeId === '') return;
  try {
    localStorage.setItem(LAST_OFFICE_KEY + userId, officeId);
  } catch {
    // Storage disabled or full: the next case asks again.
  }
}


/** Forgets it: the person was taken off this phone (settings), so nothing of theirs stays behind. */
export function forgetCaseOffice(userId: string): void {
  try {
    localStorage.removeItem(LAST_OFFICE_KEY + userId);
  } catch {
    // Storage disabled: nothing was remembered.
  }
}
