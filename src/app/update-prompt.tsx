/**
 * 「新しいバージョンがあります」: applied only when the user says so and nothing is unsaved, in this
 * tab or another open one. 「新しいバージョンに切り替わりました」: another tab applied it while this
 * one held typed text; the text stays until it is saved and the user reloads.
 */
import { Button } from '../ui/button';
import { Notice } from '../ui/layout';
import { useUpdate } from './service-worker';
import { useApp } from '../state/store';
import { T } from './text';

export function UpdatePrompt() {
  const { waiting, applying, takenOver, unsavedElsewhere, apply } = useUpdate();
  const hasUnsaved = useApp((s) => s.unsaved.size > 0);
  if ((!waiting && !takenOver) || !apply) return null;

  const go = () => {
    // Re-read at click time: a form (here or in another tab) may have become dirty since the last render.
    if (useApp.getState().unsaved.size > 0) return;
    if (!takenOver && useUpdate.getState().unsavedElsewhere) return;
    apply();
  };

  if (takenOver) {
    return (
      <section aria-label={T.updateRegion} className="no-print">
        <Notice
          kind="warn"
          action={
            <Button variant="primary" disabled={hasUnsaved} onClick={go}>
              {T.reload}
            </Button>
          }
        >
          <strong>{T.updateTaken}</strong>
          {hasUnsaved ? <p className="field__error">{T.updateTakenBlocked}</p> : <p>{T.updateTakenReady}</p>}
        </Notice>
      </section>
    );
  }

  return (
    <section aria-label={T.updateRegion} className="no-print">
      <Notice
        kind="info"
        action={
          <Button variant="primary" disabled={hasUnsaved || unsavedElsewhere || applying} onClick={go}>
            {T.updateNow}
          </Button>
        }
      >
        <strong>{T.updateAvailable}</strong>
        {hasUnsaved ? <p className="field__error">{T.updateBlocked}</p> : null}
        {!hasUnsaved && unsavedElsewhere ? <p className="field__error">{T.updateBlockedElsewhere}</p> : null}
        {applying ? <p>{T.updating}</p> : null}
      </Notice>
    </section>
  );
}
