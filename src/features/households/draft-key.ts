/** The household form's draft key, and whether the unlocked user has one waiting. */
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { personalDraftKey } from '../../vault/drafts';
import { isNewRecordDraftKey } from '../../state/use-form-draft';

/**
 * One draft per household and per person unlocking the phone: on a shared phone a colleague's
 * unsaved interview is neither shown to another user nor saved under their name. For a new household
 * this is the first form's key: a new form open in another tab meanwhile takes one of its own
 * (useNewRecordDraftKey).
 */
export function draftKey(id: string | null, userId: string | undefined = useApp.getState().session?.user.id): string {
  return personalDraftKey(`household:${id ?? 'new'}`, userId);
}

/** Whether the unlocked user has a draft on the device whose key `matches` (read once per session). */
function useHasDraft(matches: (key: string) => boolean, dependency: string): boolean {
  const session = useApp((s) => s.session);
  const [has, setHas] = useState(false);
  useEffect(() => {
    let live = true;
    session
      ?.listDraftKeys()
      .then((keys) => {
        if (live) setHas(keys.some(matches));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // `matches` is built afresh at each render: what it matches is named by `dependency`
  }, [session, dependency]);
  return has;
}

/**
 * True when the unlocked user left a new household's form unsaved (its draft is on the device): any
 * of theirs, the one a second tab's form took too (`household:new-<uuid>`, useNewRecordDraftKey).
 */
export function useNewHouseholdDraft(): boolean {
  const userId = useApp((s) => s.session?.user.id);
  return useHasDraft(isNewRecordDraftKey('household', userId), `new:${userId ?? ''}`);
}

/**
 * True when the unlocked user left this household's 編集 unsaved (its draft is on the device): left by
 * 「← 詳細へ戻る」 or the bottom nav, the edit was kept with no word, and the screen showed the old
 * address as the record's.
 */
export function useHouseholdEditDraft(id: string): boolean {
  const key = draftKey(id, useApp((s) => s.session?.user.id));
  return useHasDraft((k) => k === key, key);
}
