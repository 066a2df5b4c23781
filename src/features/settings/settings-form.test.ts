import { describe, expect, it } from 'vitest';
import { parseSettingsInput, settingsToInput } from './settings-form';
import { T } from './text';

describe('device settings form', () => {
  it('accepts whole numbers from 1 to 60', () => {
    expect(parseSettingsInput({ idleLockMinutes: '1', reviewAfterMonths: '60' })).toEqual({
      ok: true,
      value: { idleLockMinutes: 1, reviewAfterMonths: 60 },
    });
  });

  it('reads full-width digits typed with the IME in 全角 mode, and ignores surrounding spaces', () => {
    expect(parseSettingsInput({ idleLockMinutes: '１０', reviewAfterMonths: ' 12 ' })).toEqual({
      ok: true,
      value: { idleLockMinutes: 10, reviewAfterMonths: 12 },
    });
  });

  it.each(['0', '61', '', '5.5', '-3', 'abc', '1e1', '５分'])('rejects %j with a message per field', (bad) => {
    expect(parseSettingsInput({ idleLockMinutes: bad, reviewAfterMonths: bad })).toEqual({
      ok: false,
      errors: { idleLockMinutes: T.idleLockInvalid, reviewAfterMonths: T.reviewInvalid },
    });
  });

  it('reports only the field that is wrong', () => {
    expect(parseSettingsInput({ idleLockMinutes: '5', reviewAfterMonths: '0' })).toEqual({
      ok: false,
      errors: { reviewAfterMonths: T.reviewInvalid },
    });
  });

  it('round-trips the stored settings', () => {
    const settings = { idleLockMinutes: 5, reviewAfterMonths: 12 };
    expect(parseSettingsInput(settingsToInput(settings))).toEqual({ ok: true, value: settings });
  });
});
