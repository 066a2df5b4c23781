/**
 * Create and edit a household (the 聞き取り票). Nothing is saved while the schema or the date rules
 * report an error; each message shows beside its field and in a summary at the top. Unsaved input is kept
 * as an encrypted draft (use-form-draft) and offered back when the form is opened again. Editing shows
 * the whole record, so opening the form for an existing household writes a 閲覧記録 entry, as the detail does.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';
import { recordTooLarge } from '../../domain/record-limits';
import { emptyHousehold, validateAgainstToday, validateHousehold, type FieldError, type ValidationResult } from '../../domain/household-schema';
import type { Household } from '../../domain/household';
import { possibleDuplicates, type PossibleDuplicate } from '../../domain/household-summary';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { Notice, Page } from '../../ui/layout';
import { halfTypedDates } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { ErrorSummary } from './form-errors';
import { errorFor, fromDraft, fromForm, moveReasonMissing, overHeld, rebaseForm, sameContent, toForm, withOfficeMove, type HouseholdForm as FormValue } from './form-model';
import { FormSections } from './form-sections';
import { BackLink } from './household-detail';
import { F, T } from './text';
import { useFormDraft, useNewRecordDraftKey } from '../../state/use-form-draft';
import { draftKey } from './draft-key';
import { personHasRecords } from './person-records';

export { draftKey } from './draft-key';
import { DraftRestored } from '../../state/use-drafted-form';
import { useLogOpen } from '../../state/use-log-open';
import { fieldLabel, valueText } from '../../state/record-words';
import type { FieldConflict } from '../../protocol/merge';
import { navigate, paths } from './use-route';
import { useJapanToday } from '../../state/use-minute-clock';
import './households.css';

/** `savedOffice`: the office the saved household is under (undefined for a new one): moving it away needs a reason. */
function validate(form: FormValue, today: string, savedOffice: string | null | undefined, partial: readonly FieldError[] = [], id: string | null = null): ValidationResult {
  const raw = fromForm(form, new Date().toISOString());
  const result = validateHousehold(raw);
  const move: FieldError[] = moveReasonMissing(form, savedOffice) ? [{ path: 'moveReason', message: F.moveReasonMissing }] : [];
  // A 同意書 once recorded is not erased by emptying its fields: its withdrawal is a recorded act.
  if (raw.consent === null && id !== null && form.formBase?.consent) move.push({ path: 'consent.date', message: F.consentErased });
  // The date rules run on the input as it is too, so every error shows at the first 保存, not in two rounds.
  const dated = (() => {
    try {
      return validateAgainstToday(result.ok ? result.value : raw, today);
    } catch {
      return [];
    }
  })();
  const errors = [...partial, ...(result.ok ? [] : result.errors), ...dated, ...move];
  const seen = new Set<string>();
  const unique = errors.filter((e) => !seen.has(e.path) && seen.add(e.path));
  return unique.length || !result.ok ? { ok: false, errors: unique } : result;
}

/** Date fields left half typed (halfTypedDates), as errors at their paths. */
function partlyTypedDates(form: HTMLFormElement | null): FieldError[] {
  return halfTypedDates(form, 'path').map((path) => ({ path, message: F.datePartlyTyped }));
}

const savedOfficeOf = (id: string | null): string | null | undefined => (id ? (useApp.getState().households.get(id)?.officeId ?? null) : undefined);

/**
 * Where a new household starts: on a device joined to a hub, under the office of the person
 * registering it, and a case worker as its 担当 (they can change either before saving). Nothing
 * when the hub has not named their office (a coordinator of the hub itself, or not signed in here).
 */
export function ownPlacement(): Partial<FormValue> {
  const { joined, staff, hubUserId } = syncStatus.getState();
  if (!joined || staff === null || hubUserId === null) return {};
  const me = staff.find((p) => p.userId === hubUserId);
  if (!me?.officeId) return {};
  const office = useApp.getState().offices.get(me.officeId);
  if (!office) return {};
  return {
    officeId: office.id,
    registeringOffice: office.name,
    ...(me.role === 'case-worker' ? { caseWorkerUserId: me.userId, caseWorker: me.displayName } : {}),
  };
}

interface Loaded {
  /** the form as the saved record (or a blank one) has it: "unsaved" means different from this */
  readonly baseline: FormValue;
  readonly restored: boolean;
}

/**
 * A new household's draft saved under an id a household already has (the save landed, and a lock
 * or a closed tab came before the draft was deleted) is kept, under an id of its own: saved as
 * 'create' on the saved one it would be refused, again at every try. The same family saved twice
 * is then caught by the check for the same person in two households.
 */
function asNewDraft(draft: FormValue | undefined): FormValue | undefined {
  const { households, summaries } = useApp.getState();
  if (draft === undefined || !(households.has(draft.id) || summaries.has(draft.id))) return draft;
  return { ...draft, id: crypto.randomUUID() };
}

/**
 * Reads the record and any draft once; later store updates (our own save) must not reset the form.
 * `key`: the draft's, null until the form holds it (useNewRecordDraftKey).
 */
function useInitialForm(id: string | null, key: string | null, setForm: (f: FormValue) => void) {
  const [loaded, setLoaded] = useState<Loaded | null | 'missing'>(null);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    const load = async () => {
      // Right after an unlock from the snapshot, the full record may not be in memory yet.
      if (id) await useApp.getState().ensureHousehold(id).catch(() => undefined);
      const { households, session } = useApp.getState();
      const existing = id ? households.get(id) : undefined;
      if (id && !existing) {
        if (live) setLoaded('missing');
        return;
      }
      let draft = await session?.loadDraft<FormValue>(key).catch(() => undefined);
      // A draft saved before drafts were kept per person (one key for everyone): taken over once,
      // by the form holding the person's own key (not a second tab's too).
      const legacy = `household:${id ?? 'new'}`;
      if (draft === undefined && legacy !== key && key === draftKey(id)) {
        draft = await session?.loadDraft<FormValue>(legacy).catch(() => undefined);
        if (draft !== undefined) await session?.deleteDraft(legacy).catch(() => undefined);
      }
      if (!id) draft = asNewDraft(draft);
      const now = new Date().toISOString();
      const base = existing
        ? { ...toForm(existing), formBase: existing }
        : { ...toForm(emptyHousehold(draft?.id ?? crypto.randomUUID(), draft?.createdAt ?? now)), ...ownPlacement() };
      // A draft keeps the record it was started on (formBase): restored after the record changed
      // (a 見直し, a colleague's synced edit), it is moved onto the record as it is now, so what the
      // screen shows is what will be saved.
      const restoredForm = draft ? fromDraft({ ...base, ...draft }) : base;
      // A field both the draft and someone else changed keeps the draft's value, and its save asks (rebaseForm).
      const form = draft && existing && draft.formBase && JSON.stringify(draft.formBase) !== JSON.stringify(existing) ? rebaseForm(restoredForm, existing) : restoredForm;
      if (!live) return;
      setForm(form);
      setLoaded({ baseline: base, restored: Boolean(draft) && !sameContent(form, base) });
    };
    void load();
    return () => {
      live = false;
    };
  }, [id, key, setForm]);
  return [loaded, setLoaded] as const;
}

export function HouseholdForm({ id }: { id: string | null }) {
  const saveHousehold = useApp((s) => s.saveHousehold);
  const clearError = useApp((s) => s.clearError);
  const today = useJapanToday();
  const [form, setForm] = useState<FormValue | null>(null);
  const newKey = useNewRecordDraftKey('household', useApp((s) => s.session?.user.id), id === null);
  const key = id === null ? newKey : draftKey(id);
  const [loaded, setLoaded] = useInitialForm(id, key, setForm);
  useLogOpen(id);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [clashes, setClashes] = useState<{ found: readonly FieldConflict[]; asked: ReadonlySet<'duplicates' | 'clashes'> } | null>(null);
  const [retryAsked, setRetryAsked] = useState<ReadonlySet<'duplicates' | 'clashes'>>(new Set());
  // What was answered holds for the save that failed to be written, not for a form changed since
  // (an edit, or the form moved onto a record that changed meanwhile).
  useEffect(() => setRetryAsked(new Set()), [form]);
  const [duplicates, setDuplicates] = useState<{ found: readonly PossibleDuplicate[]; asked: ReadonlySet<'duplicates' | 'clashes'> } | null>(null);
  // focus goes to the first field in error once the errors are drawn (focusField ran before they were)
  const { ref: formRef, failed } = useFocusInvalidOnFail<HTMLFormElement>();
  // Half-typed dates, read from the inputs at 保存 and again as the user leaves each field after it.
  const [partial, setPartial] = useState<FieldError[]>([]);

  const baseline = loaded && loaded !== 'missing' ? loaded.baseline : null;
  const dirty = Boolean(form && baseline && !sameContent(form, baseline));
  // Nothing is autosaved before the draft is held: `baseline` waits for it.
  const draft = useFormDraft(key ?? draftKey(id), baseline ? form : null, dirty);

  // After the first attempt, errors follow the input so a fixed field clears at once.
  const errors = useMemo(() => {
    if (!submitted || !form) return [];
    const v = validate(form, today, savedOfficeOf(id), partial, id);
    return v.ok ? [] : v.errors;
  }, [submitted, form, today, partial]);
  const err = (path: string) => errorFor(errors, path);

  const backTo = id ? paths.detail(id) : paths.list();
  const title = id ? T.editTitle : T.newTitle;

  if (loaded === 'missing') {
    return (
      <Page title={title} back={<BackLink href={paths.list()} label={T.back} />}>
        <Notice kind="warn">{T.notFound}</Notice>
      </Page>
    );
  }
  if (!form || !loaded) {
    return (
      <Page title={title}>
        <p role="status">{T.loading}</p>
      </Page>
    );
  }

  const update = (patch: Partial<FormValue>) => setForm((f) => (f ? { ...f, ...patch } : f));

  /** `asked`: the questions the user has answered 保存 to in this save (the other household, the colleague's edit). */
  async function save(asked: ReadonlySet<'duplicates' | 'clashes'> = new Set()) {
    if (!form || busy) return;
    setSubmitted(true);
    const savedOffice = savedOfficeOf(id);
    const halfTyped = partlyTypedDates(formRef.current);
    setPartial(halfTyped);
    const v = validate(form, today, savedOffice, halfTyped, id);
    if (!v.ok) {
      failed();
      return;
    }
    const now = new Date().toISOString();
    const me = useApp.getState().session?.user ?? { id: '', displayName: '' };
    const mine: Household = { ...v.value, createdAt: id ? v.value.createdAt : now, updatedAt: now };
    const held = id ? useApp.getState().households.get(id) : undefined;
    // A person a case or a trial stay names is not removed (the form refuses it at the click; a
    // case may have arrived by sync since, or the removal come back in a draft).
    if (held) {
      const { caseEntries, trialStays } = useApp.getState();
      const kept = new Set(mine.persons.map((p) => p.id));
      const named = held.persons.find((p) => !kept.has(p.id) && personHasRecords(held.id, p.id, caseEntries, trialStays));
      if (named !== undefined) {
        setSaveError(F.removePersonRecorded(named.name || T.noName));
        return;
      }
    }
    // The same person registered in another household (by another office, or twice): two answers at
    // night, one of them stale. Asked when this save makes a match the saved record did not have.
    if (!asked.has('duplicates')) {
      const summaries = [...useApp.getState().summaries.values()];
      const before = new Set((held ? possibleDuplicates(held, summaries) : []).map((d) => `${d.householdId}/${d.savedName}`));
      const found = possibleDuplicates(mine, summaries).filter((d) => !before.has(`${d.householdId}/${d.savedName}`));
      if (found.length > 0) {
        setDuplicates({ found, asked });
        return;
      }
    }
    // What changed on the record since the form was opened (a 見直し, a 登録廃止, a colleague's synced
    // edit) stays, unless the form changed that field itself. A field a colleague changed meanwhile
    // (a medication corrected) that this form changed too would be gone without a word: asked first.
    const { record: merged, clashes: found } = overHeld(mine, form.formBase, held);
    if (!asked.has('clashes') && found.length > 0) {
      setClashes({ found, asked });
      return;
    }
    if (held && !validateHousehold(merged).ok) {
      // This input with what others changed meanwhile does not hold together (a person added on
      // another phone, say): the form shows the two together, with the errors, to be put right.
      setForm(rebaseForm(form, held));
      setSaveError(T.mergedInvalid);
      return;
    }
    const record: Household = withOfficeMove(merged, savedOffice, form.moveReason ?? '', me, now);
    // The record as saved (others' edits merged, the move's entry added) is what the hub bounds.
    const tooLarge = recordTooLarge(record);
    if (tooLarge !== null) {
      setSaveError(tooLarge);
      return;
    }
    setBusy(true);
    setSaveError(null);
    // 再試行 after a storage failure does not ask again what was just answered
    setRetryAsked(asked);
    try {
      await saveHousehold(record, id ? 'update' : 'create');
      await draft.finish();
      navigate(paths.detail(record.id), { replace: true });
    } catch (e) {
      // The form shows the failure with its own retry, so the app-wide banner would only repeat it.
      clearError();
      setSaveError(isVaultError(e) ? vaultErrorMessage(e.code) : vaultErrorMessage('unexpected'));
    } finally {
      setBusy(false);
    }
  }

  async function discardDraft() {
    await draft.discard();
    if (baseline) setForm(baseline);
    setLoaded({ baseline: baseline!, restored: false });
  }

  async function leave() {
    setConfirmCancel(false);
    await draft.finish();
    navigate(backTo);
  }

  return (
    <Page title={title} back={<BackLink href={backTo} label={id ? T.backToDetail : T.back} />}>
      <form autoComplete="off"
        ref={formRef}
        className="hh-form"
        noValidate
        onFocus={(e) => {
          // A text area's caret, not its box, is what the browser keeps in view on focus: under the
          // 保存 bar it stays unseen. The box is brought clear of the bars (households.css's margins).
          if (e.target instanceof HTMLTextAreaElement) e.target.scrollIntoView?.({ block: 'nearest' });
        }}
        onBlur={() => {
          if (submitted) setPartial(partlyTypedDates(formRef.current));
        }}
        // Return in 住所 saved the registration half filled in and left the form: it goes on to the next field.
        onKeyDown={keepEnterFromSubmitting}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {loaded.restored ? <DraftRestored onDiscard={() => void discardDraft()} /> : null}
        <ErrorSummary errors={errors} />
        <FormSections form={form} update={update} err={err} />
        {saveError ? (
          <Notice
            kind="error"
            action={
              <Button variant="primary" onClick={() => void save(retryAsked)} disabled={busy}>
                {T.retry}
              </Button>
            }
          >
            {T.saveFailed} {saveError}
          </Notice>
        ) : null}
        <div className="hh-savebar">
          <Button onClick={() => (dirty ? setConfirmCancel(true) : navigate(backTo))}>{T.cancel}</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? T.saving : T.save}
          </Button>
        </div>
      </form>
      <DuplicateDialog
        found={duplicates?.found ?? []}
        onSave={() => {
          const asked = new Set(duplicates?.asked).add('duplicates');
          setDuplicates(null);
          void save(asked);
        }}
        onBack={() => setDuplicates(null)}
      />
      <ClashDialog
        clashes={clashes?.found ?? []}
        form={form}
        onSave={() => {
          const asked = new Set(clashes?.asked).add('clashes');
          setClashes(null);
          void save(asked);
        }}
        onBack={() => setClashes(null)}
      />
      <ConfirmDialog
        open={confirmCancel}
        title={T.discardTitle}
        confirmLabel={T.discardConfirm}
        danger
        onConfirm={leave}
        onCancel={() => setConfirmCancel(false)}
      >
        <p>{T.discardBody}</p>
      </ConfirmDialog>
    </Page>
  );
}

/**
 * 「別の端末で変更されています」: each field both this form and someone else changed since it was
 * opened, with their value and the one typed here. 「入力どおり保存」 replaces theirs (they stay in
 * the record's history on the hub); 「戻って確かめる」 returns to the form to take theirs by hand.
 */
function ClashDialog({ clashes, form, onSave, onBack }: { clashes: readonly FieldConflict[]; form: FormValue; onSave: () => void; onBack: () => void }) {
  const offices = useApp((s) => s.offices);
  const staff = useStore(syncStatus, (s) => s.staff);
  const personName = (pid: string) => form.persons.find((p) => p.id === pid)?.name || undefined;
  const names = { office: (oid: string) => offices.get(oid)?.name, staff: (uid: string) => staff?.find((p) => p.userId === uid)?.displayName };
  return (
    <ConfirmDialog open={clashes.length > 0} title={T.clashTitle} confirmLabel={T.clashSave} cancelLabel={T.clashBack} onConfirm={onSave} onCancel={onBack}>
      <p>{T.clashBody}</p>
      <ul className="hh-clashes">
        {clashes.map((c) => (
          <li key={c.path}>
            <strong>{fieldLabel(c.path, personName, 'household')}</strong>
            <p className="hh-clashes__value">
              {T.clashTheirs}
              {valueText(c.lost, c.path, names)}
            </p>
            <p className="hh-clashes__value">
              {T.clashMine}
              {valueText(c.kept, c.path, names)}
            </p>
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}

/** 「同じ方が別の世帯に登録されていませんか」: each match, with a link to open the other household. */
function DuplicateDialog({ found, onSave, onBack }: { found: readonly PossibleDuplicate[]; onSave: () => void; onBack: () => void }) {
  return (
    <ConfirmDialog open={found.length > 0} title={T.duplicateTitle} confirmLabel={T.duplicateSave} cancelLabel={T.duplicateBack} onConfirm={onSave} onCancel={onBack}>
      <p>{T.duplicateBody}</p>
      <ul className="hh-clashes">
        {found.map((d) => (
          <li key={`${d.householdId}/${d.savedName}/${d.name}`}>
            {T.duplicateLine(d.savedName, d.name, d.why)}{' '}
            <a href={paths.detail(d.householdId)}>{T.duplicateOpen}</a>
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
