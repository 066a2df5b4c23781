/**
 * The name searched for before 「本人未特定で開始」, handed to the case's start form as what was
 * heard (「氏名（聞き取り）」). In memory only, taken once, gone at the lock: in the address it went
 * into the browser's history and the place kept in sessionStorage, in clear (app/place.ts keeps ids
 * only). Here rather than in a feature because the search and the case start are two features.
 */
import { useApp } from './store';

let carried = '';

/** The search's 「本人未特定で開始」 was tapped with `name` typed (a number search carries '' ). */
export function noteCarriedName(name: string): void {
  carried = name.trim();
}

/** The name carried to the case start that opens now ('' when none); gone after this. */
export function takeCarriedName(): string {
  const name = carried;
  carried = '';
  return name;
}

useApp.subscribe((state) => {
  if (state.session === null) carried = '';
});
