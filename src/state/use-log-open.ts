/**
 * The 閲覧記録 of a screen that shows a household's record (detail, edit form, print sheet, a case,
 * the match): one entry per opening of the screen, not per render, and a fresh one after an unlock
 * (a new session is a new opening, even when the idle lock kept the route).
 */
import { useEffect, useRef } from 'react';
import type { VaultSession } from '../vault/types';
import { useApp } from './store';

/**
 * Logs `householdId` once per (session, household): re-renders, StrictMode's double effects and
 * store updates write nothing more; another household, or the same one after an unlock, writes
 * again. Nothing is written while locked or for a screen about nobody registered (null id).
 * `log` defaults to the store's openHousehold ('open-household'; a failure shows in the error banner,
 * the record stays readable).
 */
export function useLogOpen(householdId: string | null | undefined, log?: (id: string) => Promise<void>): void {
  const session = useApp((s) => s.session);
  const openHousehold = useApp((s) => s.openHousehold);
  const write = log ?? openHousehold;
  const logged = useRef<{ readonly session: VaultSession; readonly householdId: string } | null>(null);
  useEffect(() => {
    if (!session || !householdId) return;
    const last = logged.current;
    if (last && last.session === session && last.householdId === householdId) return;
    logged.current = { session, householdId };
    write(householdId).catch(() => undefined);
  }, [session, householdId, write]);
}
