import { describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { applyForm, toFormState, validateForm } from './form-model';

const NOW = '2026-05-01T09:00:00.000Z';
const formWith = (patch: Partial<ReturnType<typeof toFormState>>) => ({ ...toFormState(createFacility({ id: 'fac-1' }), '山田'), ...patch });

describe('the facility form model', () => {
  it('takes a 事業所番号 written with dashes, spaces or full-width digits, as the 受給者証番号 is taken, and saves its 10 digits', () => {
    for (const typed of ['12-3456-7890', '１２ー３４５６ー７８９０', '１２－３４５６－７８９０', '12 3456 7890', '12‐3456−7890', '1234567890']) {
      const form = formWith({ officeNumber: typed });
      expect(validateForm(form).officeNumber, typed).toBeUndefined();
      expect(applyForm(createFacility({ id: 'fac-1' }), form, NOW).officeNumber, typed).toBe('1234567890');
    }
  });

  it('still refuses a 事業所番号 of other than 10 digits, or with letters in it', () => {
    for (const typed of ['12-3456-789', '12-3456-78901', '12-3456-789O', '12/3456/7890']) {
      expect(validateForm(formWith({ officeNumber: typed })).officeNumber, typed).toBe('事業所番号は10桁の数字で入力してください');
    }
  });

  it('reads an e-mail address typed with the IME on (「info＠example．jp」) and saves it in half-width', () => {
    const form = formWith({ email: ' info＠example．jp ' });
    expect(validateForm(form).email).toBeUndefined();
    expect(applyForm(createFacility({ id: 'fac-1' }), form, NOW).email).toBe('info@example.jp');
    expect(validateForm(formWith({ email: 'info＠example' })).email).toBe('メールアドレスの形式を確認してください（例：tanki@example.jp）');
  });
});
