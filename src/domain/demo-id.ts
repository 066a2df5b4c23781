/**
 * Every record the demo hub makes has an id starting with 'demo-' (demo-data.ts, demo-facilities.ts,
 * demo-cases.ts, demo-trial-stays.ts, demo-function-bonus.ts, and the demo's cases in the store): a
 * record is known as demo by its id alone, wherever it goes (kept off the change log, cleared with
 * the demo, left out of the files and the figures).
 */
export const DEMO_ID_PREFIX = 'demo-';

export const isDemoId = (id: string): boolean => id.startsWith(DEMO_ID_PREFIX);

/**
 * A case is the demo's by its own id or its household's: a household the demo made (by its id, or
 * as the phone marks it, `demoHouseholds`). Its calls and claims stay out of real evidence.
 */
export function isDemoCase(kase: { readonly id: string; readonly subject: { readonly householdId: string | null } }, demoHouseholds?: ReadonlySet<string>): boolean {
  const household = kase.subject.householdId;
  return isDemoId(kase.id) || (household !== null && (isDemoId(household) || demoHouseholds?.has(household) === true));
}
