import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, type FormEvent } from 'react';
import { describe, expect, it } from 'vitest';
import { CheckboxGroup, TextField } from './field';
import { focusFirstInvalid, useFocusInvalidOnFail } from './focus-invalid';

const NAME_MISSING = '氏名を入力してください。';
const PHONE_MISSING = '電話番号を入力してください。';

/** A form whose check answers after an await (as a vault's or a store's does), with its fields folded away or not. */
function Form({ folded = false }: { folded?: boolean }) {
  const [errors, setErrors] = useState<{ name?: string; phone?: string }>({});
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await new Promise((resolve) => setTimeout(resolve, 10));
    setErrors({ name: NAME_MISSING, phone: PHONE_MISSING });
    failed();
  };
  const fields = (
    <>
      <TextField label="氏名" error={errors.name} />
      <TextField label="電話番号" error={errors.phone} />
    </>
  );
  return (
    <form ref={ref} noValidate onSubmit={(e) => void submit(e)}>
      <TextField label="メモ" />
      {folded ? (
        <details>
          <summary>連絡先</summary>
          {fields}
        </details>
      ) : (
        fields
      )}
      <button type="submit">保存</button>
    </form>
  );
}

describe('useFocusInvalidOnFail', () => {
  it('focuses the first invalid field once errors set after an await are drawn, its message as its description', async () => {
    const user = userEvent.setup();
    render(<Form />);
    await user.click(screen.getByRole('button', { name: '保存' }));
    const name = screen.getByRole('textbox', { name: '氏名' });
    await waitFor(() => expect(name).toHaveFocus());
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(NAME_MISSING);
    // the messages are no alerts: said once, by the focus, not again as they come back while typing
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
  });

  it('opens a closed <details> around the field before focusing it', async () => {
    const user = userEvent.setup();
    const { container } = render(<Form folded />);
    const details = container.querySelector('details')!;
    expect(details.open).toBe(false);
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: '氏名' })).toHaveFocus());
    expect(details.open).toBe(true);
  });

  it('announces the message when focus is on the invalid field already (Enter pressed in it)', async () => {
    const user = userEvent.setup();
    render(<Form />);
    await user.click(screen.getByRole('button', { name: '保存' }));
    const name = screen.getByRole('textbox', { name: '氏名' });
    await waitFor(() => expect(name).toHaveFocus());
    expect(screen.queryByRole('status')).toBeNull();

    await user.type(name, '{Enter}');
    // the app's polite live region (announce.ts) says the field's message
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(NAME_MISSING));
    expect(name).toHaveFocus();
  });
});

describe('focusFirstInvalid', () => {
  it('focuses the first box of a checkbox group in error, the group marked invalid and described by its message', () => {
    render(
      <div data-testid="root">
        <TextField label="メモ" />
        <CheckboxGroup
          legend="障害種別"
          options={[
            { value: 'a', label: '知的' },
            { value: 'b', label: '身体' },
          ]}
          value={[]}
          onChange={() => undefined}
          error="一つ以上選んでください。"
        />
      </div>,
    );
    focusFirstInvalid(screen.getByTestId('root'));
    expect(screen.getByRole('checkbox', { name: '知的' })).toHaveFocus();
    const group = screen.getByRole('group', { name: '障害種別' });
    expect(group).toHaveAttribute('aria-invalid', 'true');
    expect(group).toHaveAccessibleDescription('一つ以上選んでください。');
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
  });
});
