/**
 * Migration 9 (offices kept by the hub, issue 14): the hub itself writes office records from the
 * command line (`npm run admin -- create-office`), so it syncs to every device like an admin's edit;
 * such a write has no user behind it, and its records row says so with a null updated_by.
 * Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE records ALTER COLUMN updated_by DROP NOT NULL;
`;
