/**
 * Migration 26: when a device or a user was stopped (`disabled_at`), so that what a stopped phone
 * sends afterwards can be weighed against it (services/sync.ts, lateEvidence): a retiring phone's
 * retire push, and a stopped author's changes pushed from a shared phone, took any case entry for as
 * long as the phone kept calling, dated whenever it liked, countersigned and claimable. A trigger
 * keeps it with the flag, whoever sets it (an admin command, a hand-made correction): set when the
 * flag turns on, cleared when it turns off (enable-user, enable-device). A row stopped before this
 * migration takes the time its stop was audited (account_audit, migration 22), else now: the
 * window of what it may still send starts at this upgrade. Never edit it once shipped.
 */
export const sql = /* sql */ `
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE devices ADD COLUMN disabled_at timestamptz;

UPDATE devices d SET disabled_at = coalesce(
  (SELECT max(a.done_at) FROM account_audit a WHERE a.tenant_id = d.tenant_id AND a.action = 'disable-device' AND a.subject = d.id), now())
 WHERE d.disabled;
UPDATE users u SET disabled_at = coalesce(
  (SELECT max(a.done_at) FROM account_audit a WHERE a.tenant_id = u.tenant_id AND a.action = 'disable-user' AND a.subject = u.login_name), now())
 WHERE u.disabled;

CREATE FUNCTION stopped_at() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.disabled_at := CASE WHEN NOT NEW.disabled THEN NULL WHEN TG_OP = 'UPDATE' AND OLD.disabled THEN OLD.disabled_at ELSE now() END;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER users_stopped_at BEFORE INSERT OR UPDATE OF disabled ON users FOR EACH ROW EXECUTE FUNCTION stopped_at();
CREATE TRIGGER devices_stopped_at BEFORE INSERT OR UPDATE OF disabled ON devices FOR EACH ROW EXECUTE FUNCTION stopped_at();
-- A stop's time is never cleared by hand while the stop holds (lateEvidence would pass over it).
ALTER TABLE users ADD CONSTRAINT users_stopped_at CHECK (disabled = (disabled_at IS NOT NULL));
ALTER TABLE devices ADD CONSTRAINT devices_stopped_at CHECK (disabled = (disabled_at IS NOT NULL));
`;
