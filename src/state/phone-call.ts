/**
 * The facility call just dialled from the app, as the idle lock needs to know it: the time of the
 * tap on a tel: link, kept in memory until the lock reads it (once) or is torn down. Only a time,
 * never who or which number. Here rather than in app/ because the feature that dials may not import
 * app/ (STYLE.md); what the lock makes of it is decided in src/app/idle-lock.ts.
 */

let callStartedAt: number | null = null;

/** A tap on a facility's number: the dialer is about to come in front of the app. 受入先への発信 */
export function noteCallStarted(): void {
  callStartedAt = Date.now();
}

/** When the last noted call was dialled (epoch ms), or null; the note is gone after this. */
export function takeCallStartedAt(): number | null {
  const at = callStartedAt;
  callStartedAt = null;
  return at;
}
