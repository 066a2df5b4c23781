/**
 * 「新しいバージョンがあります」: applied only when the user says so and nothing is unsaved, in this
 * tab or another open one. 「新しいバージョンに切り替わりました」: another tab applied it while this
 * one held typed text; the text stays until it is saved and the user reloads.
 */
import { useState } from 'react';
import { Button } from '../ui/button';
import { Notice } from '../ui/layout';
import { useUpdate } from './service-worker';
import { useApp } from '../state/store';
import { T } from './text';

export function UpdatePrompt() {
  const { waiting, applying, takenOver, unsavedElsewhere, apply, offlineFailed } = useUpdate();
  const hasUnsaved = useApp((s) => s.unsaved.size > 0);
  // 「あとで」: out of the way of a call (it pushed the match's first facility below the fold at
  // 360 px) until the next unlock, which mounts the prompt again. A switch made in another tab is
  // not put off: this tab runs the old version until it reloads.
  const [later, setLater] = useState(false);
  if (!waiting && !takenOver && offlineFailed) {
    // The first download of the offline copy broke off; it is tried again at the next chance (service-worker.ts).
    return (
      <section aria-label={T.updateRegion} className="no-print">
        <Notice kind="warn">{T.notReadyOffline}</Notice>
      </section>
    );
  }
  if ((!waiting && !takenOver) || !apply) return null;
  if (later && !takenOver) return null;

  const go = () => {
    // Re-read at click time: a form (here or in another tab) may have become dirty since the last render.
    if (useApp.getState().unsaved.size > 0) return;
    if (!takenOver && useUpdate.getState().unsavedElsewhere) return;
    apply();
  };

  // 「新しいバージョンに切り替わりました」 asks only for a reload once this tab's text is saved;
  // 「新しいバージョンがあります」 also waits for the other tabs and for the switch under way.
  const disabled = hasUnsaved || (!takenOver && (unsavedElsewhere || applying));
  const blocked = hasUnsaved ? (takenOver ? T.updateTakenBlocked : T.updateBlocked) : !takenOver && unsavedElsewhere ? T.updateBlockedElsewhere : null;
  return (
    <section aria-label={T.updateRegion} className="no-print">
      <Notice
        kind={takenOver ? 'warn' : 'info'}
        action={
          <>
            <Button variant="primary" disabled={disabled} onClick={go}>
              {takenOver ? T.reload : T.updateNow}
            </Button>
            {takenOver ? null : (
              <Button variant="ghost" onClick={() => setLater(true)}>
                {T.updateLater}
              </Button>
            )}
          </>
        }
      >
        <strong>{takenOver ? T.updateTaken : T.updateAvailable}</strong>
        {blocked !== null ? <p className="field__error">{blocked}</p> : null}
        {takenOver && !hasUnsaved ? <p>{T.updateTakenReady}</p> : null}
        {!takenOver && applying ? <p>{T.updating}</p> : null}
        {!takenOver && !applying && blocked === null ? <p>{T.updateRelocks}</p> : null}
      </Notice>
    </section>
  );
}
