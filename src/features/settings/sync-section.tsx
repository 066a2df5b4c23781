/**
 * 拠点サーバーと同期: joining a hub (sign-in, enrolment, first sync with its progress), who is
 * signed in, 今すぐ同期, sign-out (queued changes stay), and the changes the hub refused.
 * The app works without ever joining; see src/sync/engine.ts for what a run does.
 */
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { ROLE_LABELS } from '../../protocol/sync';
import { foldCase } from '../../domain/case-fold';
import { ENTRY_TYPE_LABELS, type CaseEntry } from '../../domain/emergency-case';
import { formatJapanDateTime } from '../../domain/japan-time';
import { SyncError } from '../../sync/client';
import { isClockOff } from '../../sync/clock-offset';
import { syncStatus } from '../../sync/status';
import { S } from '../../sync/text';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { SecretField } from '../../ui/passphrase';
import { Busy } from '../../ui/status';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import type { OutboxEntry, SetAsideCounts } from '../../vault/types';
import { SyncConflicts } from './sync-conflicts';
import { hubBusy, SYNC_SETTINGS_HASH } from './sync-status-line';
import { refusalWords, ST } from './sync-text';
import { HubKeyLine } from './hub-key-line';
import { useAsync } from './use-async';

export function SyncSection() {
  const joined = useStore(syncStatus, (s) => s.joined);
  const signedOut = useStore(syncStatus, (s) => s.signedOut);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Opened from the status line: bring the section into view. Also when the settings were open
    // already (the screen stays; the shell's scroll to the top for the new place runs first).
    const show = () => {
      if (window.location.hash === SYNC_SETTINGS_HASH) ref.current?.scrollIntoView?.({ block: 'start' });
    };
    show();
    const later = () => requestAnimationFrame(show);
    window.addEventListener('hashchange', later);
    return () => window.removeEventListener('hashchange', later);
  }, []);

  return (
    <div ref={ref} className="scroll-target">
      <Section title={ST.title} id="settings-sync">
        <ClockWarning />
        {joined && !signedOut ? <JoinedView /> : <JoinForm />}
        <RefusedChanges />
      </Section>
    </div>
  );
}

/**
 * [E7] The device's clock is off the hub's past CLOCK_WARNING_MS: said until a later answer finds
 * it right again. Nothing is blocked; entries are still written here.
 */
function ClockWarning() {
  const offset = useStore(syncStatus, (s) => s.clockOffset);
  if (!isClockOff(offset)) return null;
  return (
    <Notice kind="warn">
      <p>{S.clock.warning(offset.offsetMs)}</p>
      <p className="muted">{S.clock.measured(offset.measuredAt)}</p>
    </Notice>
  );
}

interface JoinErrors {
  hub?: string;
  loginName?: string;
  password?: string;
  totp?: string;
  form?: string;
}

function problemText(error: unknown): string {
  if (error instanceof SyncError) {
    // A code just used by another sign-in of the same user comes with when to try the next one:
    // the hub's words say so, where the usual ones would blame the password.
    if (error.code === 'bad-credentials') return error.retryAfterSeconds !== null && error.serverMessage ? error.serverMessage : error.message;
    // Nothing tries a sign-in again by itself: 「接続が戻ると自動で同期します」 promised what no one does.
    if (error.code === 'offline' || error.code === 'unreachable') return ST.joinOffline;
    // A busy hub (503 with Retry-After): the general words promised 「自動で再試行します」 for a sign-in.
    if (error.code === 'server' && error.retryAfterSeconds !== null) return ST.joinBusy;
    // The hub's own reason is the answer here: the general words send the user to the button just pressed.
    if (error.code === 'forbidden' && error.serverMessage) return error.serverMessage;
    return error.serverMessage && S.hubWordsFor.has(error.code) ? `${error.message}（${error.serverMessage}）` : error.message;
  }
  return vaultErrorMessage(toVaultError(error).code);
}

function JoinForm() {
  const userName = useApp((s) => s.session?.user.displayName ?? '');
  const status = useStore(syncStatus);
  const [hub, setHub] = useState(status.hub ?? '');
  const [loginName, setLoginName] = useState(status.loginName ?? '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [errors, setErrors] = useState<JoinErrors>({});
  // the failure behind errors.form, for its details (ProblemDetails)
  const [failure, setFailure] = useState<SyncError | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const engine = syncStatus.getState().engine;
    if (!engine || busy) return;
    const next: JoinErrors = {
      ...(hub.trim() ? {} : { hub: ST.required(ST.hub) }),
      ...(loginName.trim() ? {} : { loginName: ST.required(ST.loginName) }),
      ...(password ? {} : { password: ST.required(ST.password) }),
      ...(/^\d{6}$/.test(totp.trim()) ? {} : { totp: ST.totpInvalid }),
    };
    setErrors(next);
    setFailure(null);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      await engine.join({ hub: hub.trim(), loginName: loginName.trim(), password, totp: totp.trim(), deviceName: ST.deviceName(userName) });
    } catch (err) {
      setErrors({ form: problemText(err) });
      setFailure(err instanceof SyncError ? err : null);
      setTotp('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)} aria-label={ST.title}>
      <p className="muted">{status.needsSignIn ? ST.needsSignIn(userName, status.hub ?? '') : status.signedOut ? (status.problem ? ST.hubSignedOut : ST.aloneSignedOut) : ST.aloneIntro}</p>
      {status.signedOut && status.problem ? (
        <>
          <Notice kind="warn">{status.problem.message}</Notice>
          <ProblemDetails code={status.problem.code} requestId={status.problem.requestId} detail={status.problem.detail} />
        </>
      ) : null}
      {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
      {errors.form && failure ? <ProblemDetails code={failure.code} requestId={failure.requestId} detail={failure.detail} /> : null}
      <TextField label={ST.hub} hint={ST.hubHint} value={hub} error={errors.hub} disabled={busy} autoComplete="organization" onChange={(e) => setHub(e.target.value)} />
      <TextField label={ST.loginName} value={loginName} error={errors.loginName} disabled={busy} autoComplete="username" onChange={(e) => setLoginName(e.target.value)} />
      <SecretField label={ST.password} value={password} error={errors.password} disabled={busy} autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
      <TextField
        label={ST.totp}
        hint={ST.totpHint}
        value={totp}
        error={errors.totp}
        disabled={busy}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        onChange={(e) => setTotp(e.target.value)}
      />
      {busy ? <Busy>{status.progress ? ST.progress(status.progress.sent, status.progress.received) : ST.joining}</Busy> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" className="btn--block" disabled={busy}>
          {status.needsSignIn ? ST.signInHere : status.signedOut ? ST.signInAgain : ST.join}
        </Button>
      </div>
    </form>
  );
}

function JoinedView() {
  const s = useStore(syncStatus);
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);

  // Another tab holding the sync lock makes a run give up at once: said, not silently nothing.
  const [othersSyncing, setOthersSyncing] = useState(false);
  const syncNow = () => {
    setOthersSyncing(false);
    void s.engine?.run().then((outcome) => setOthersSyncing(outcome === 'busy'));
  };
  const [pullingAgain, setPullingAgain] = useState(false);
  const pullAgain = () => {
    setPullingAgain(false);
    void s.engine?.pullAgain().catch(() => undefined);
  };
  const [signOutFailed, setSignOutFailed] = useState<string | null>(null);
  const signOut = async () => {
    setConfirming(false);
    setWorking(true);
    setSignOutFailed(null);
    try {
      await s.engine?.signOut();
    } catch (error) {
      // said, not a dialog closing on nothing: the sign-in stays as it was
      setSignOutFailed(ST.signOutFailed(toVaultError(error).message));
    } finally {
      setWorking(false);
    }
  };

  return (
    <>
      <p>
        <strong>{ST.signedInAs(s.displayName ?? '', s.role ? ROLE_LABELS[s.role] : '')}</strong>
        <br />
        <span className="muted">{ST.hubLine(s.hub ?? '')}</span>
      </p>
      <HubKeyLine />
      <p>{ST.lastSync(s.lastSyncAt)}</p>
      <p>{ST.pending(s.pending)}</p>
      {s.heldFor !== null ? <Notice kind="warn">{ST.heldFor(s.heldFor)}</Notice> : null}
      {s.stoppedRemoved.length > 0 ? <Notice kind="info">{ST.stoppedRemoved(s.stoppedRemoved)}</Notice> : null}
      {s.problem && hubBusy(s) ? (
        // a hub shedding load: waiting, not failing (the bar says so too), in the hub's own words
        <Notice kind="info">{s.problem.serverMessage ?? S.shortHubBusy}</Notice>
      ) : s.problem ? (
        <>
          <Notice kind="error">
            {s.problem.message}
            {s.problem.serverMessage && S.hubWordsFor.has(s.problem.code) ? `（${s.problem.serverMessage}）` : ''}
          </Notice>
          <ProblemDetails code={s.problem.code} requestId={s.problem.requestId} detail={s.problem.detail} />
        </>
      ) : null}
      {othersSyncing && !s.running ? <Notice kind="warn">{S.problem.busy}</Notice> : null}
      {s.openConflicts > 0 ? <Notice kind="warn">{ST.conflicts(s.openConflicts)}</Notice> : null}
      <SyncConflicts />
      {s.evidenceMismatches.length > 0 ? <EvidenceMismatches entryIds={s.evidenceMismatches} /> : null}
      <SetAsideNotice counts={s.setAside} />
      {s.unknownKinds.length > 0 ? <Notice kind="warn">{ST.unknownKinds}</Notice> : null}
      {s.running ? <Busy>{s.progress ? ST.progress(s.progress.sent, s.progress.received) : ST.syncing}</Busy> : null}
      <div className="form-actions">
        <Button variant="primary" className="btn--block" disabled={s.running || working} onClick={syncNow}>
          {s.running ? ST.syncing : ST.syncNow}
        </Button>
        <Button className="btn--block" disabled={working} onClick={() => setConfirming(true)}>
          {ST.signOut}
        </Button>
      </div>
      {signOutFailed ? <Notice kind="error">{signOutFailed}</Notice> : null}
      <p className="muted">{ST.iosNote}</p>
      <Button className="btn--block" disabled={s.running || working} onClick={() => setPullingAgain(true)}>
        {ST.pullAgain}
      </Button>
      <ConfirmDialog
        open={pullingAgain}
        title={ST.pullAgainTitle}
        confirmLabel={ST.pullAgain}
        onConfirm={pullAgain}
        onCancel={() => setPullingAgain(false)}
      >
        <p>{ST.pullAgainBody}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming}
        title={ST.signOutTitle}
        confirmLabel={ST.signOut}
        onConfirm={() => void signOut()}
        onCancel={() => setConfirming(false)}
      >
        {/* refused changes are never sent again: only those waiting go at the next sign-in */}
        <p>{ST.signOutBody(s.pending)}</p>
      </ConfirmDialog>
    </>
  );
}

/**
 * What the admin needs to find a failure in the hub's log, folded under the problem: its code, the
 * hub's request id (問い合わせ番号, in its log line) and the detail, in monospace to be read out letter by
 * letter. Nothing when there is neither a request id nor a detail (the code alone says no more
 * than the words above it).
 */
function ProblemDetails({ code, requestId, detail }: { readonly code: string; readonly requestId?: string | null; readonly detail?: string }) {
  if (!requestId && !detail) return null;
  const rows: readonly (readonly [string, string | null | undefined])[] = [
    [S.details.code, code],
    [S.details.requestId, requestId],
    [S.details.detail, detail],
  ];
  return (
    <details className="disclosure">
      <summary>{S.details.summary}</summary>
      <dl className="kv">
        {rows.map(([label, value]) =>
          value ? (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </Fragment>
          ) : null,
        )}
      </dl>
    </details>
  );
}

/** [R3] Records pulled that this app cannot read: how many and why; the rest synced as usual. */
function SetAsideNotice({ counts }: { readonly counts: SetAsideCounts }) {
  if (counts.total === 0) return null;
  const reasons = (['id', 'json', 'shape'] as const).filter((r) => counts.byReason[r] > 0);
  return (
    <Notice kind="warn">
      <p>{ST.setAside(counts.total)}</p>
      <ul>
        {reasons.map((r) => (
          <li key={r}>{ST.setAsideReasons[r](counts.byReason[r])}</li>
        ))}
      </ul>
      {counts.first && counts.first.length > 0 ? (
        <details className="disclosure">
          <summary>{ST.setAsideDetails}</summary>
          <ul>
            {counts.first.map((e) => (
              <li key={`${e.kind}/${e.version}`}>{ST.setAsideItem(ST.kind[e.kind], e.version, ST.setAsideReasonWords[e.reason], e.field)}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <p>{ST.setAsideRetry}</p>
    </Notice>
  );
}

/** The changes the hub refused: kept, listed with the reason and what to do; the user may set one aside. */
function RefusedChanges() {
  const session = useApp((s) => s.session);
  const refusedCount = useStore(syncStatus, (s) => s.refused);
  const engine = useStore(syncStatus, (s) => s.engine);
  const list = useAsync(async () => ((await session?.outbox()) ?? []).filter((e) => e.refusal !== null), `${refusedCount}`);
  const [dismissing, setDismissing] = useState<OutboxEntry | null>(null);
  const [dismissFailed, setDismissFailed] = useState<string | null>(null);
  const users = useApp((s) => s.users);
  const me = session?.user.id ?? null;

  if (list.status !== 'done' || list.value.length === 0) return null;
  const nameOf = (userId: string) => {
    const name = users.find((u) => u.id === userId)?.displayName;
    return name ? ST.refusedBy(name) : ST.unknownAuthor;
  };
  // the change as the list names it, and as the dialog asks about it
  const changeName = (entry: OutboxEntry) => ST.refusedChange(ST.kind[entry.kind], ST.refusedWhen(entry.at), nameOf(entry.userId));
  // Whose change it is, asked before another person's is set aside, and written in the 閲覧記録:
  // on a shared phone the night person must not quietly drop the day person's refused record (nor
  // be stuck with one whose author left the phone).
  const dismiss = async (entry: OutboxEntry) => {
    setDismissing(null);
    setDismissFailed(null);
    if (!session) return;
    if (!engine) {
      // the sync code is still loading after the unlock: said, not a dialog that closes on nothing
      setDismissFailed(ST.dismissFailed(ST.engineLoading));
      return;
    }
    try {
      // set aside and written in the 閲覧記録 together, or neither
      await engine.dismissRefused(entry.seq, ST.dismissedLog(ST.kind[entry.kind], entry.entityId, entry.at, entry.refusal?.reason ?? ''));
      useApp.getState().accessLogged();
    } catch (error) {
      // said, not dropped: the dialog had closed and the entry simply stayed, without a word
      setDismissFailed(ST.dismissFailed(toVaultError(error).message));
    } finally {
      list.reload();
    }
  };
  return (
    <div className="refused">
      <h3 id="settings-sync-refused">{ST.refusedTitle}</h3>
      <p className="muted">{ST.refusedIntro}</p>
      {dismissFailed ? <Notice kind="error">{dismissFailed}</Notice> : null}
      <ul className="plain-list" aria-labelledby="settings-sync-refused">
        {list.value.map((entry) => (
          <li key={entry.seq}>
            <p>
              <strong>{changeName(entry)}</strong>
              <br />
              {refusalWords(entry.refusal!, entry.kind).label}
            </p>
            <p className="muted">{refusalWords(entry.refusal!, entry.kind).advice}</p>
            {entry.refusal!.detail ? (
              <details className="disclosure">
                <summary>{ST.refusedDetail}</summary>
                <p>{entry.refusal!.detail}</p>
              </details>
            ) : null}
            {entry.kind === 'case-entry' ? <p className="muted">{ST.evidenceStays}</p> : <Button onClick={() => setDismissing(entry)}>{ST.dismiss}</Button>}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={dismissing !== null}
        title={ST.dismissTitle}
        confirmLabel={ST.dismiss}
        danger
        onConfirm={() => dismissing && void dismiss(dismissing)}
        onCancel={() => setDismissing(null)}
      >
        {dismissing ? <p>{ST.dismissWhich(changeName(dismissing))}</p> : null}
        {dismissing && dismissing.userId !== me ? <p>{ST.dismissOthers(nameOf(dismissing.userId))}</p> : null}
        <p>{ST.dismissBody}</p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * The entries the hub holds otherwise than this phone, each by its case (the person, the entry's
 * kind and time, a link to the case), so the admin is told which records, not only how many.
 */
/** The person a case is about now (a 登録者との結び付け after the request included). */
function subjectNameOf(entries: readonly CaseEntry[]): string {
  try {
    return foldCase(entries).subject.name;
  } catch {
    const open = entries[0]?.body;
    return open?.type === 'open' ? open.subject.name : '';
  }
}

function EvidenceMismatches({ entryIds }: { entryIds: readonly string[] }) {
  const caseEntries = useApp((s) => s.caseEntries);
  const found = entryIds.map((id) => {
    for (const [caseId, entries] of caseEntries) {
      const entry = entries.find((e) => e.id === id);
      if (entry !== undefined) return { id, caseId, entry, name: subjectNameOf(entries) };
    }
    return { id, caseId: null, entry: null, name: '' };
  });
  return (
    <Notice kind="error">
      <p>{ST.evidenceMismatch(entryIds.length)}</p>
      <ul className="plain-list">
        {found.map((f) =>
          f.caseId === null || f.entry === null ? (
            <li key={f.id}>{ST.evidenceMismatchUnknown(f.id)}</li>
          ) : (
            <li key={f.id}>
              <a href={`#/cases/${encodeURIComponent(f.caseId)}`}>
                {ST.evidenceMismatchItem(f.name, ENTRY_TYPE_LABELS[f.entry.body.type], formatJapanDateTime(f.entry.recordedAt), f.caseId)}
              </a>
            </li>
          ),
        )}
      </ul>
    </Notice>
  );
}
