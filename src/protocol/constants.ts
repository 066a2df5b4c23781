/**
 * Protocol constants without zod: the vault (in the start bundle) needs some of them, and the
 * schemas in sync.ts would bring zod into the JavaScript a cold start waits for.
 */

/**
 * Households with no office are held for the hub's coordinators and admins only: their officeId
 * on the server is this marker, which no case worker's scope contains (null would mean hub-wide).
 */
export const HUB_ONLY_OFFICE = '(hub)';
