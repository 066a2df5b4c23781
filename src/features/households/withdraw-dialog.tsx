/**
 * 登録廃止: a date (today in Japan by default, never later) and a required reason. The record stays
 * readable afterwards. What is typed is kept as an encrypted draft (use-drafted-form) until saved or, asked, discarded;
 * the household's detail reopens the dialog after an unlock when a draft waits.
 */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { DraftRestored, useCancelAsking, useDraftedForm } from '../../state/use-drafted-form';
import type { Household } from '../../domain/household';
import { validateAgainstToday } from '../../domain/household-schema';
import { recordTooLarge } from '../../domain/record-limits';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { ConfirmDialog } from '../../ui/dialog';
import { TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice } from '../../ui/layout';
import { T } from './text';

interface WithdrawForm {
  /** 登録廃止日, yyyy-mm-dd */
  readonly date: string;
  readonly reason: string;
}

/** One draft per household: opening 登録廃止 again after an unlock brings the date and reason back. */
export function withdrawDraftKey(householdId: string): string {
  return `household-withdraw:${householdId}`;
}

/** The messages beside the fields; none means the withdrawal may be saved. */
function validateWithdrawal(household: Household, form: WithdrawForm, today: string): { date?: string; reason?: string } {
  const errors: { date?: string; reason?: string } = {};
  if (!form.date) errors.date = T.withdrawDateRequired;
  else {
    // The domain's date rule, so the dialog and the household form refuse the same dates with the same words.
    const withdrawal = { date: form.date, reason: form.reason.trim() };
    const future = validateAgainstToday({ ...household, withdrawal }, today).find((e) => e.path === 'withdrawal.date');
    if (future) errors.date = future.message;
  }
  if (!form.reason.trim()) errors.reason = T.withdrawReasonRequired;
  return errors;
}

export function WithdrawDialog({
  household,
  today,
  open,
  onClose,
}: {
  household: Household;
  /** Japan's today, from the screen's useJapanToday */
  today: string;
  open: boolean;
  onClose: () => void;
}) {
  const saveHousehold = useApp((s) => s.saveHousehold);
  const clearError = useApp((s) => s.clearError);
  const [blank] = useState<WithdrawForm>(() => ({ date: today, reason: '' }));
  const { form, setForm, dirty, restored, finish, discard } = useDraftedForm(withdrawDraftKey(household.id), blank);
  // キャンセル and Esc (Android's back) ask before a typed reason goes
  const { cancel, question } = useCancelAsking(dirty, finish, onClose);
  const update = (patch: Partial<WithdrawForm>) => setForm({ ...form, ...patch });
  const [errors, setErrors] = useState<{ date?: string; reason?: string; whole?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();

  async function confirm() {
    const next = validateWithdrawal(household, form, today);
    setErrors(next);
    if (next.date || next.reason) {
      failed();
      return;
    }
    if (busy) return;
    const withdrawn: Household = { ...household, withdrawal: { date: form.date, reason: form.reason.trim() }, updatedAt: new Date().toISOString() };
    // The hub takes no record above its bound: said at the reason, the one text this dialog adds,
    // when it is what takes the household over; else the household's own text must be shortened first.
    const tooLarge = recordTooLarge(withdrawn);
    if (tooLarge !== null) {
      setErrors(recordTooLarge(household) === null ? { reason: tooLarge } : { whole: recordTooLarge(withdrawn, T.withdrawShortenFirst)! });
      failed();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await saveHousehold(withdrawn, 'withdraw');
      await finish();
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
    <>
      <ConfirmDialog
        open={open}
        // whose: two families of one name, or the household above the one meant in the list, look alike at night
        title={T.withdrawTitle(household.persons.map((p) => p.name.trim()))}
        confirmLabel={failure ? T.retry : T.withdrawConfirm}
        danger
        // while the 登録廃止 is written, キャンセル and Esc wait: closing dropped the draft while it was saved all the same
        busy={busy}
        onConfirm={() => void confirm()}
        onCancel={cancel}
      >
        <div ref={ref}>
          {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
          <p>{T.withdrawBody}</p>
          <TextField
            label={T.withdrawDate}
            type="date"
            required
            max={today}
            value={form.date}
            error={errors.date}
            onChange={(e) => update({ date: e.target.value })}
          />
          <TextArea label={T.withdrawReason} required value={form.reason} error={errors.reason} onChange={(e) => update({ reason: e.target.value })} />
          {errors.whole ? <Notice kind="error">{errors.whole}</Notice> : null}
          {failure ? <Notice kind="error">{failure}</Notice> : null}
        </div>
      </ConfirmDialog>
      {question}
    </>
  );
}
