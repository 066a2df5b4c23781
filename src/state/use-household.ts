/**
 * One household's full record for a screen that shows or edits it. Right after an unlock from the
 * summary snapshot, full records are still loading in the background: this decrypts just the one
 * asked for, and says `loading` meanwhile, so a screen never takes "not loaded yet" for "not found".
 */
import { useEffect, useState } from 'react';
import type { Household } from '../domain/household';
import { useApp } from './store';

export function useHousehold(id: string | null | undefined): { household: Household | undefined; loading: boolean } {
  const household = useApp((s) => (id ? s.households.get(id) : undefined));
  const loaded = useApp((s) => s.householdsLoaded);
  const ensureHousehold = useApp((s) => s.ensureHousehold);
  const [checked, setChecked] = useState<string | null>(null);

  useEffect(() => {
    if (!id || household || loaded) return;
    let live = true;
    void ensureHousehold(id)
      .catch(() => undefined)
      .finally(() => {
        if (live) setChecked(id);
      });
    return () => {
      live = false;
    };
  }, [id, household, loaded, ensureHousehold]);

  return { household, loading: Boolean(id) && !household && !loaded && checked !== id };
}
