/**
 * Corrections: a new entry that names the entry it corrects, with the reason, who and when
 * (DOMAIN.md §5). The dialog never edits anything; it appends.
 */
import { useRef, useState } from 'react';
import { useApp } from '../../state/store';
import {
  REQUEST_CATEGORIES,
  type ContactBody,
  type Current,
  type EmergencyCase,
  type FactBody,
  type OpenBody,
  type RequestCategory,
  type Superseded,
} from '../../domain/emergency-case';
import { correctionChanges } from '../../domain/correction-changes';
import { earlierOutcomes, standingClosesOf } from '../../domain/case-fold';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { formatJapanDateTime } from '../../domain/japan-time';
import { ConfirmDialog } from '../../ui/dialog';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { DraftRestored, useCancelAsking, useDraftedForm } from '../../state/use-drafted-form';
import { contactBodyOf, ContactFields, contactFormOf } from './contacts';
import { EntryErrors } from './errors-list';
import { T } from './text';
import { useAppend } from './use-append';

/**
 * Each correction of a fact, oldest first: who corrected it and when (Japan time), the reason, and
 * every field it changed with the original value beside the corrected one, as the correction
 * dialog promises (「元の記録は消えずに残り…表示されます」).
 */
export function CorrectionNotes({ corrections }: { corrections: readonly Superseded[] }) {
  if (corrections.length === 0) return null;
  return (
    <ul className="case-corrections">
      {corrections.map((c) => {
        const changes = correctionChanges(c, formatJapanDateTime);
        return (
          <li key={c.byEntryId}>
            {(c.withdrawn ? T.withdrawNote : T.correctionNote)(c.reason, c.by.name, formatJapanDateTime(c.at))}
            {changes.length > 0 ? (
              <ul className="case-corrections__changes">
                {changes.map((ch) => (
                  <li key={ch.field}>{T.correctionChange(ch.field, ch.before, ch.after)}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** What is being corrected: a contact (replace or withdraw), the outcome (withdraw) or the request. */
export type CorrectionTarget =
  | { readonly kind: 'contact'; readonly contact: Current<ContactBody> }
  | { readonly kind: 'withdraw'; readonly entryId: string; readonly label: string }
  /** 対応を再開: the 取消 of each close entry that stands (two phones may each have closed it), with its reason */
  | { readonly kind: 'reopen'; readonly entryIds: readonly string[] }
  | { readonly kind: 'open'; readonly open: Current<OpenBody> };

interface CorrectionForm {
  readonly reason: string;
  readonly contact: ReturnType<typeof contactFormOf>;
  readonly request: { readonly requestedAt: string; readonly category: RequestCategory; readonly detail: string };
}

function correctionFormOf(target: CorrectionTarget | null): CorrectionForm {
  const openBody = target?.kind === 'open' ? target.open.body : null;
  return {
    reason: '',
    contact: contactFormOf(target?.kind === 'contact' ? target.contact.body : null),
    request: {
      requestedAt: openBody ? toJapanInputValue(openBody.requestedAt) : '',
      category: openBody?.category ?? 'その他',
      detail: openBody?.detail ?? '',
    },
  };
}

/** One draft per corrected entry: reopening 訂正 or 取消 on the same entry after an unlock brings the reason back. */
export function correctionDraftKey(caseId: string, target: CorrectionTarget): string {
  const entryId =
    target.kind === 'contact' ? target.contact.entryId : target.kind === 'open' ? target.open.entryId : target.kind === 'reopen' ? target.entryIds.at(-1) : target.entryId;
  // (a reopen and a withdrawal never name the same entry: one is of the close, the other of a fact)
  return `case-correction:${caseId}:${target.kind}:${entryId}`;
}

export function CorrectionDialog({
  kase,
  target,
  onClose,
}: {
  kase: EmergencyCase;
  target: CorrectionTarget | null;
  onClose: () => void;
}) {
  const facilities = useApp((s) => s.facilities);
  const { append, errors, busy, setErrors } = useAppend(kase.id);
  const [blank] = useState(() => correctionFormOf(target));
  const { form, setForm, dirty, restored, finish, discard, saveWith } = useDraftedForm(target === null ? null : correctionDraftKey(kase.id, target), blank);
  // キャンセル and Esc (Android's back) ask before a typed reason goes
  const { cancel, question } = useCancelAsking(dirty, finish, onClose);
  const saving = useRef(false);
  const { reason, contact, request } = form;
  const setReason = (value: string) => setForm({ ...form, reason: value });
  const setContact = (value: CorrectionForm['contact']) => setForm({ ...form, contact: value });
  const setRequest = (value: CorrectionForm['request']) => setForm({ ...form, request: value });

  if (target === null) return null;
  const withdraw = target.kind === 'withdraw';
  const reopen = target.kind === 'reopen';
  // 取消 of the outcome that stands brings back the one it replaced, or leaves none: said before it is written
  const standsAfter = withdraw && target.entryId === kase.outcome?.entryId ? (earlierOutcomes(kase).at(-1)?.body ?? null) : undefined;

  async function save() {
    // A second tap while the first is saved, or while the dialog closes, writes nothing.
    if (target === null || saving.current) return;
    saving.current = true;
    try {
      await write(target);
    } finally {
      saving.current = false;
    }
  }

  async function write(target: CorrectionTarget) {
    let replacement: FactBody | null = null;
    let corrects: string;
    if (target.kind === 'reopen') {
      // one 取消 per close that stands, read now (a retry after one failed must not withdraw a close twice);
      // one refused stops there, the case still 終了 and offering this again
      for (const entryId of standingClosesOf(kase)) if (!(await append({ type: 'correction', corrects: entryId, reason: reason.trim(), replacement: null }))) return;
      await finish();
      return onClose();
    }
    if (target.kind === 'withdraw') {
      corrects = target.entryId;
    } else if (target.kind === 'contact') {
      corrects = target.contact.entryId;
      const body = contactBodyOf(contact, (id) => facilities.get(id)?.officeNumber ?? '');
      if (Array.isArray(body)) return setErrors(body);
      replacement = body;
    } else {
      corrects = target.open.entryId;
      const requestedAt = fromJapanInputValue(request.requestedAt);
      if (requestedAt === null) return setErrors(['要請のあった時間を入力してください。']);
      const moved = requestedAt !== target.open.body.requestedAt;
      replacement = {
        ...target.open.body,
        requestedAt,
        requestedAtReason: moved ? reason.trim() : target.open.body.requestedAtReason,
        category: request.category,
        detail: request.detail.trim(),
      };
    }
    const body = { type: 'correction', corrects, reason: reason.trim(), replacement } as const;
    if (!(await saveWith((draft) => append(body, draft)))) return;
    onClose();
  }

  return (
    <>
      <ConfirmDialog
        open
        title={reopen ? T.reopenTitle : withdraw ? T.withdrawTitle : T.correctionTitle}
        confirmLabel={busy ? T.saving : reopen ? T.saveReopen : withdraw ? T.saveWithdraw : T.saveCorrection}
        danger={withdraw}
        // while the 訂正 or 取消 is written, neither キャンセル nor Esc closes it: it was recorded all the same
        busy={busy}
        onConfirm={() => void save()}
        onCancel={cancel}
      >
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        <p className="case-hint">{reopen ? T.reopenHint : withdraw ? T.withdrawHint : T.correctionHint}</p>
        {target.kind === 'withdraw' ? <p className="case-subject">{target.label}</p> : null}
        {standsAfter === undefined ? null : (
          <p className="warning-box">{standsAfter === null ? T.withdrawOutcomeLeavesNone : T.withdrawOutcomeRestores(standsAfter.outcome, standsAfter.facilityName)}</p>
        )}
        {target.kind === 'contact' ? <ContactFields kase={kase} value={contact} onChange={setContact} resultNotYet={target.contact.body.result === null || contact.result === null} /> : null}
        {target.kind === 'open' ? (
          <>
            <TextField
              label={T.requestedAt}
              type="datetime-local"
              value={request.requestedAt}
              onChange={(e) => setRequest({ ...request, requestedAt: e.target.value })}
            />
            <SelectField
              label={T.category}
              value={request.category}
              onChange={(e) => setRequest({ ...request, category: e.target.value as RequestCategory })}
              options={REQUEST_CATEGORIES.map((c) => ({ value: c, label: c }))}
            />
            <TextArea label={T.detail} value={request.detail} onChange={(e) => setRequest({ ...request, detail: e.target.value })} />
          </>
        ) : null}
        <TextArea
          label={reopen ? T.reopenReason : withdraw ? T.withdrawReasonLabel : T.correctionReason}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <EntryErrors errors={errors} />
      </ConfirmDialog>
      {question}
    </>
  );
}
