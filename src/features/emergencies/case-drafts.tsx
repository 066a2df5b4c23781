/**
 * The drafts the unlocked person left on a case (a call note, 対応結果, 退所, a 訂正 or 取消), named atop
 * the case with 「続ける」, and marked on the case list: left by the back button or the bottom nav, or
 * with the app closed (a new session has no saved place, so no form reopens by itself:
 * useReopenForDraft), the text was kept on the device with no word on the screen.
 */
import { useCallback, useEffect, useState } from 'react';
import { concurrentOutcomes, standingClosesOf } from '../../domain/case-fold';
import type { EmergencyCase } from '../../domain/emergency-case';
import { useApp } from '../../state/store';
import { DraftRestored } from '../../state/use-drafted-form';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { bringIntoView } from '../../ui/scroll';
import { personalDraftKey } from '../../vault/drafts';
import { outcomeDraftKey, outcomeLabel, type FormInPlace } from './case-sections';
import { contactDraftKey } from './contacts';
import { correctionDraftKey, type CorrectionTarget } from './corrections';
import { stayEndDraftKey, stayEndFormKeyNow } from './stay-section';
import { T } from './text';

/** The forms whose drafts the case screen names, by their draft key's kind and number of parts. */
const CASE_DRAFT_FORMS = new Map([
  ['case-contact', 2],
  ['case-outcome', 2],
  ['stay-end', 3],
  ['case-correction', 4],
]);

/**
 * The case and form key (its user taken off) of a draft `userId` left in a case's call note, 対応結果,
 * 退所 or correction; null for another form's or another person's: on a shared phone a colleague's
 * unsaved note is theirs (personalDraftKey), never offered to whoever unlocks next to be recorded
 * under their name.
 */
export function caseDraftOf(key: string, userId: string | undefined): { readonly caseId: string; readonly formKey: string } | null {
  const own = personalDraftKey('', userId);
  if (!key.endsWith(own)) return null;
  const formKey = key.slice(0, key.length - own.length);
  const parts = formKey.split(':');
  return CASE_DRAFT_FORMS.get(parts[0] ?? '') === parts.length ? { caseId: parts[1] ?? '', formKey } : null;
}

/** Each 訂正 and 取消 the case screen offers now, named as its draft's line names it. */
function correctionsOffered(kase: EmergencyCase): { readonly target: CorrectionTarget; readonly what: string }[] {
  const offered: { target: CorrectionTarget; what: string }[] = [{ target: { kind: 'open', open: kase.open }, what: T.draftOfRequestCorrection }];
  for (const c of kase.contacts) {
    offered.push({ target: { kind: 'contact', contact: c }, what: T.draftOfContactCorrection(c.body.facilityName) });
    offered.push({ target: { kind: 'withdraw', entryId: c.entryId, label: c.body.facilityName }, what: T.draftOfWithdraw(c.body.facilityName) });
  }
  // the standing outcome's 取消 while the case is open, a rival's (recorded at once on another phone) always
  const outcomes = [...(kase.closedAt === null && kase.outcome ? [kase.outcome] : []), ...concurrentOutcomes(kase)];
  for (const o of outcomes) offered.push({ target: { kind: 'withdraw', entryId: o.entryId, label: outcomeLabel(o.body) }, what: T.draftOfWithdraw(outcomeLabel(o.body)) });
  const closes = standingClosesOf(kase);
  if (closes.length > 0) offered.push({ target: { kind: 'reopen', entryIds: closes }, what: T.draftOfReopen });
  return offered;
}

type Session = ReturnType<typeof useApp.getState>['session'];

/**
 * Reads the unlocked person's case drafts on this device once, for `then`; the effect's clean-up
 * (what it returns) drops an answer that comes after the screen has gone.
 */
function ownCaseDrafts(session: Session, then: (drafts: readonly { readonly caseId: string; readonly formKey: string }[]) => void): () => void {
  let live = true;
  const userId = session?.user.id;
  session
    ?.listDraftKeys()
    .then((all) => {
      if (live) then(all.flatMap((k) => caseDraftOf(k, userId) ?? []));
    })
    .catch(() => undefined);
  return () => {
    live = false;
  };
}

/** The cases on which the unlocked person left a draft, read once for the whole list (「入力途中あり」 on their rows). */
export function useCasesWithDrafts(): ReadonlySet<string> {
  const session = useApp((s) => s.session);
  const [ids, setIds] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => ownCaseDrafts(session, (drafts) => setIds(new Set(drafts.map((d) => d.caseId)))), [session]);
  return ids;
}

/**
 * The form keys of the drafts the unlocked person left on this case, read once per visit. Left by the
 * back button or the bottom nav, or with the app closed (a new session has no saved place, so no form
 * reopens by itself: useReopenForDraft), the text was kept on the device with no word on the screen.
 */
function useCaseDrafts(caseId: string) {
  const session = useApp((s) => s.session);
  const [keys, setKeys] = useState<readonly string[]>([]);
  useEffect(() => ownCaseDrafts(session, (drafts) => setKeys(drafts.flatMap((d) => (d.caseId === caseId ? [d.formKey] : [])))), [session, caseId]);
  /** the draft is in its form now (or gone): its line goes for this visit */
  const drop = useCallback((formKey: string) => setKeys((ks) => (ks.includes(formKey) ? ks.filter((k) => k !== formKey) : ks)), []);
  const discard = useCallback(
    async (formKey: string) => {
      await session?.deleteDraft(personalDraftKey(formKey, session.user.id)).catch(() => undefined);
      drop(formKey);
    },
    [session, drop],
  );
  return { keys, drop, discard };
}

interface DraftLine {
  readonly formKey: string;
  readonly what: string;
  /** opens the form with its draft; null when the case offers that form no more (why says why) */
  readonly open: (() => void) | null;
  readonly why: string;
}

/** The form of `formKey` once it is on the screen: brought into view (the focus goes to its first field without scrolling). */
function bringFormIntoView(formKey: string) {
  let frames = 0;
  const step = () => {
    const form = document.querySelector(`[data-form="${formKey}"]`);
    if (form) bringIntoView(form, 'nearest');
    else if (++frames < 30) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/**
 * 「入力途中の記録があります（通話メモ）」 with 「続ける」 for each draft the unlocked person left on
 * this case, atop the case: 続ける opens its form, which restores it (「保存していない入力を復元しました」).
 * A draft whose form the case no longer offers (closed since, its entry withdrawn) says so, with 「破棄」.
 */
export function CaseDrafts({
  kase,
  readOnly,
  forms,
  correcting,
  onCorrect,
}: {
  kase: EmergencyCase;
  readOnly: boolean;
  forms: { readonly contact: FormInPlace; readonly outcome: FormInPlace; readonly stayEnd: FormInPlace };
  correcting: CorrectionTarget | null;
  onCorrect: (target: CorrectionTarget) => void;
}) {
  const { keys, drop, discard } = useCaseDrafts(kase.id);
  const closed = kase.closedAt !== null;
  const stayKey = stayEndFormKeyNow(kase, readOnly);
  const keysOpen = [
    forms.contact.shown ? contactDraftKey(kase.id) : null,
    forms.outcome.shown ? outcomeDraftKey(kase.id) : null,
    forms.stayEnd.shown ? stayKey : null,
    correcting ? correctionDraftKey(kase.id, correcting) : null,
  ].join(' ');
  // a form open now (by its button, by 続ける, or again after an unlock) holds its draft: the line goes for good
  useEffect(() => {
    for (const k of keysOpen.split(' ')) if (k !== '') drop(k);
  }, [keysOpen, drop]);

  const blocked = readOnly ? T.draftWhyReadOnly : closed ? T.draftWhyClosed : T.draftWhyGone;
  const show = (form: FormInPlace, key: string) => () => {
    form.show();
    bringFormIntoView(key);
  };
  const offered = keys.some((k) => k.startsWith('case-correction:')) ? correctionsOffered(kase) : [];
  const lines = keys.map((formKey): DraftLine => {
    if (formKey === contactDraftKey(kase.id)) {
      return { formKey, what: T.draftOfContact, open: !readOnly && !closed ? show(forms.contact, 'case-contact') : null, why: blocked };
    }
    if (formKey === outcomeDraftKey(kase.id)) {
      return { formKey, what: T.draftOfOutcome, open: !readOnly && !closed ? show(forms.outcome, 'case-outcome') : null, why: blocked };
    }
    if (formKey.startsWith('stay-end:')) {
      const what = formKey === stayEndDraftKey(kase.id, true) ? T.draftOfStayEndCorrection : T.draftOfStayEnd;
      // a 退所 is recorded on a closed case too: only the stay decides
      return { formKey, what, open: formKey === stayKey ? show(forms.stayEnd, 'case-stay') : null, why: readOnly ? T.draftWhyReadOnly : T.draftWhyGone };
    }
    const found = offered.find((o) => correctionDraftKey(kase.id, o.target) === formKey);
    return {
      formKey,
      what: found?.what ?? T.draftOfCorrection,
      open: found && !readOnly ? () => onCorrect(found.target) : null,
      why: readOnly ? T.draftWhyReadOnly : T.draftWhyGone,
    };
  });

  return lines.map((line) =>
    line.open ? (
      <Notice
        key={line.formKey}
        kind="warn"
        action={
          <Button variant="secondary" aria-label={T.draftContinueOf(line.what)} onClick={line.open}>
            {T.draftContinue}
          </Button>
        }
      >
        {T.draftLeft(line.what)}
      </Notice>
    ) : (
      <DraftRestored key={line.formKey} message={T.draftLeftStuck(line.what, line.why)} onDiscard={() => void discard(line.formKey)} />
    ),
  );
}
