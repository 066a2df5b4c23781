/**
 * 「見直しを記録」: who reviewed (the unlocked user), when (today in Japan by default, never later)
 * and an optional note, appended to the household's review list (domain review-worklist addReview).
 */
import { useState } from 'react';
import { useApp } from '../../state/store';
import type { Household } from '../../domain/household';
import { addReview } from '../../domain/review-worklist';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { ConfirmDialog } from '../../ui/dialog';
import { TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice } from '../../ui/layout';
import { RT } from './review-text';

export function ReviewDialog({ household, today, onClose }: { household: Household; today: string; onClose: (saved: string | null) => void }) {
  const saveHousehold = useApp((s) => s.saveHousehold);
  const clearError = useApp((s) => s.clearError);
  const user = useApp((s) => s.session?.user);
  const [date, setDate] = useState(today);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();

  async function confirm() {
    if (busy) return;
    const input = { id: globalThis.crypto.randomUUID(), reviewedOn: date, reviewedBy: user?.displayName ?? '', reviewedByUserId: user?.id ?? '', note };
    const result = addReview(household, input, today, new Date().toISOString());
    if (!result.ok) {
      setErrors(Object.fromEntries(result.errors.map((e) => [e.path, e.message])));
      failed();
      return;
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      await saveHousehold(result.household, 'update');
      onClose(date);
    } catch (e) {
      // shown here with the dialog still open, so the store's global banner would only repeat it
      clearError();
      setFailure(isVaultError(e) ? vaultErrorMessage(e.code) : vaultErrorMessage('unexpected'));
    } finally {
      setBusy(false);
    }
  }

  const whole = errors[''] ?? errors['reviewedBy'];
  return (
    <ConfirmDialog open title={RT.dialogTitle} confirmLabel={failure ? RT.retry : RT.confirm} onConfirm={() => void confirm()} onCancel={() => onClose(null)}>
      <div ref={ref}>
        <p>{RT.dialogBody}</p>
        <p>
          {RT.reviewedBy}：{user?.displayName ?? ''}
        </p>
        <TextField label={RT.reviewedOn} type="date" required max={today} value={date} error={errors['reviewedOn']} onChange={(e) => setDate(e.target.value)} />
        <TextArea label={RT.note} value={note} error={errors['note']} onChange={(e) => setNote(e.target.value)} />
        {whole ? <Notice kind="error">{whole}</Notice> : null}
        {failure ? <Notice kind="error">{failure}</Notice> : null}
      </div>
    </ConfirmDialog>
  );
}
