/** 「新しいバージョンがあります」: applied only when the user says so and nothing is unsaved. */
import { Button } from '../ui/button';
import { Notice } from '../ui/layout';
import { useUpdate } from './service-worker';
import { useApp } from '../state/store';
import { T } from './text';

export function UpdatePrompt() {
  const { waiting, applying, apply } = useUpdate();
  const hasUnsaved = useApp((s) => s.unsaved.size > 0);
  if (!waiting || !apply) return null;

  const update = () => {
    // Re-read at click time: a form may have become dirty since the last render.
    if (useApp.getState().unsaved.size > 0) return;
    apply();
  };

  return (
    <section aria-label={T.updateRegion} className="no-print">
      <Notice
        kind="info"
        action={
          <Button variant="primary" disabled={hasUnsaved || applying} onClick={update}>
            {T.updateNow}
          </Button>
        }
      >
        <strong>{T.updateAvailable}</strong>
        {hasUnsaved ? <p className="field__error">{T.updateBlocked}</p> : null}
        {applying ? <p>{T.updating}</p> : null}
      </Notice>
    </section>
  );
}
