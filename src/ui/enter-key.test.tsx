import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createPortal } from 'react-dom';
import { describe, expect, it, vi } from 'vitest';
import { keepEnterFromSubmitting } from './enter-key';

/** A form like the long ones: fields of each kind, one folded away, and a submit button. */
function mountForm() {
  const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
  render(
    <form onKeyDown={keepEnterFromSubmitting} onSubmit={onSubmit}>
      <label>
        氏名
        <input type="text" />
      </label>
      <label>
        同意
        <input type="checkbox" />
      </label>
      <label>
        区分
        <input type="radio" name="kind" />
      </label>
      <details>
        <summary>たたんだ項目</summary>
        <label>
          たたまれた欄
          <input type="text" />
        </label>
      </details>
      <label>
        無効の欄
        <input type="text" disabled />
      </label>
      <label>
        電話番号
        <input type="tel" />
      </label>
      <label>
        詳細
        <textarea />
      </label>
      <label>
        最後の欄
        <input type="text" />
      </label>
      <button type="submit">保存</button>
    </form>,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe('keepEnterFromSubmitting', () => {
  it('moves Return in a field on to the next field one can type into, passing a checkbox, a folded section and a disabled field', async () => {
    const { onSubmit, user } = mountForm();
    await user.type(screen.getByLabelText('氏名'), '佐藤{Enter}');
    expect(screen.getByLabelText('電話番号')).toHaveFocus();
    await user.type(screen.getByLabelText('電話番号'), '090{Enter}');
    expect(screen.getByLabelText('詳細')).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('keeps the focus in the last field and still does not submit', async () => {
    const { onSubmit, user } = mountForm();
    await user.type(screen.getByLabelText('最後の欄'), 'メモ{Enter}');
    expect(screen.getByLabelText('最後の欄')).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('leaves alone the Return that confirms the IME conversion (isComposing, or keyCode 229)', () => {
    mountForm();
    const name = screen.getByLabelText('氏名');
    name.focus();
    expect(fireEvent.keyDown(name, { key: 'Enter', isComposing: true })).toBe(true);
    expect(fireEvent.keyDown(name, { key: 'Enter', keyCode: 229 })).toBe(true);
    expect(name).toHaveFocus();
    // the same Return once the conversion is done is taken
    expect(fireEvent.keyDown(name, { key: 'Enter' })).toBe(false);
  });

  it('leaves alone Return in a field of a dialog drawn over the form through a portal', () => {
    const onSubmit = vi.fn();
    render(
      <form onKeyDown={keepEnterFromSubmitting} onSubmit={onSubmit}>
        <label>
          氏名
          <input type="text" />
        </label>
        {createPortal(
          <form>
            <label>
              理由
              <input type="text" />
            </label>
          </form>,
          document.body,
        )}
      </form>,
    );
    const reason = screen.getByLabelText('理由');
    reason.focus();
    expect(fireEvent.keyDown(reason, { key: 'Enter' })).toBe(true);
    expect(reason).toHaveFocus();
  });

  it('makes Return on a checkbox or a radio do nothing: Chromium submits the form from them (jsdom does not), and Space ticks them', async () => {
    const { onSubmit, user } = mountForm();
    // fireEvent answers false when the handler prevented the browser's own Return (the submit)
    expect(fireEvent.keyDown(screen.getByLabelText('同意'), { key: 'Enter' })).toBe(false);
    expect(fireEvent.keyDown(screen.getByLabelText('区分'), { key: 'Enter' })).toBe(false);
    expect(screen.getByLabelText('同意')).not.toBeChecked();
    screen.getByLabelText('区分').focus();
    await user.keyboard(' ');
    expect(screen.getByLabelText('区分')).toBeChecked();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('leaves alone Return in a text area (a new line) and on the submit button', async () => {
    const { onSubmit, user } = mountForm();
    expect(fireEvent.keyDown(screen.getByLabelText('詳細'), { key: 'Enter' })).toBe(true);
    screen.getByRole('button', { name: '保存' }).focus();
    await user.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
