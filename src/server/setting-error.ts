/**
 * A setting the hub's own checks refuse (a pool size, a session time, a key that is no key): the next
 * start would refuse it again, so the process exits 78 and systemd leaves it stopped (exit-code.ts).
 * A RangeError still, for what already catches one; only these are taken for a configuration fault,
 * not any RangeError a start may meet (V8's "Array buffer allocation failed" under memory pressure).
 */
export class SettingError extends RangeError {
  override readonly name = 'SettingError';
}
