/**
 * Marks a form without a draft (useFormDraft does this for the drafted ones) as unsaved while it
 * holds typed text, so 「更新する」 waits instead of reloading over it (update-prompt, service-worker).
 * Cleared when the form closes, and by the returned `saved()` once what was typed is stored.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useApp } from './store';

export function useUnsaved(key: string, dirty: boolean): () => void {
  const markUnsaved = useApp((s) => s.markUnsaved);
  /** set once saved: the form is on its way out and nothing it still holds is unsaved */
  const saved = useRef(false);

  useEffect(() => {
    markUnsaved(key, dirty && !saved.current);
  }, [key, dirty, markUnsaved]);

  useEffect(() => () => markUnsaved(key, false), [key, markUnsaved]);

  return useCallback(() => {
    saved.current = true;
    markUnsaved(key, false);
  }, [key, markUnsaved]);
}
