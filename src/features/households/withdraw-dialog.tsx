/** 登録廃止: a date (today in Japan by default) and a required reason. The record stays readable afterwards. */
import { useState } from 'react';
import { useApp } from '../../app/store';
import type { Household } from '../../domain/household';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { ConfirmDialog } from '../../ui/dialog';
import { TextArea, TextField } from '../../ui/field';
import { Notice } from '../../ui/layout';
import { T } from './text';

export function WithdrawDialog({
  household,
  today,
  open,
  onClose,
}: {
  household: Household;
  today: string;
  open: boolean;
  onClose: () => void;
}) {
  const saveHousehold = useApp((s) => s.saveHousehold);
  const clearError = useApp((s) => s.clearError);
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ date?: string; reason?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    const next = { date: date ? undefined : T.withdrawDateRequired, reason: reason.trim() ? undefined : T.withdrawReasonRequired };
    setErrors(next);
    if (next.date || next.reason || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const withdrawn: Household = { ...household, withdrawal: { date, reason: reason.trim() }, updatedAt: new Date().toISOString() };
      await saveHousehold(withdrawn, 'withdraw');
      onClose();
    } catch (e) {
      // shown here with the dialog still open, so the store's global banner would only repeat it
      clearError();
      setFailure(isVaultError(e) ? vaultErrorMessage(e.code) : vaultErrorMessage('unexpected'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open={open}
      title={T.withdrawTitle}
      confirmLabel={failure ? T.retry : T.withdrawConfirm}
      danger
      onConfirm={confirm}
      onCancel={onClose}
    >
      <p>{T.withdrawBody}</p>
      <TextField label={T.withdrawDate} type="date" required value={date} error={errors.date} onChange={(e) => setDate(e.target.value)} />
      <TextArea label={T.withdrawReason} required value={reason} error={errors.reason} onChange={(e) => setReason(e.target.value)} />
      {failure ? <Notice kind="error">{failure}</Notice> : null}
    </ConfirmDialog>
  );
}
