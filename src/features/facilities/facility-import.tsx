/**
 * CSV import: choose a file, see every row with what will happen and every error (line and column),
 * then store the whole file in one transaction. A file with any error writes nothing.
 */
import { useRef, useState } from 'react';
import { useApp } from '../../state/store';
import { mergeFormEdit } from '../../protocol/merge';
import { FacilityCsvError, facilityCsvTooLarge, parseFacilityCsv, type FacilityImportPreview, type FacilityImportRow } from '../../domain/facility-csv';
import type { Facility } from '../../domain/facility';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { TextField } from '../../ui/field';
import { Notice, Page, Section } from '../../ui/layout';
import { Busy } from '../../ui/status';
import { T } from './text';
import { paths } from './use-route';
import { isDemoId } from '../../domain/demo-id';
import { refocusWhenLost } from '../../ui/focus-lost';

/** FileReader rather than Blob.arrayBuffer(): older Android WebViews lack the latter. */
function readBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsArrayBuffer(file);
  });
}

type Phase =
  | { readonly name: 'idle' }
  | { readonly name: 'reading' }
  | { readonly name: 'failed'; readonly message: string }
  /** `bytes`: the file, read again when facilities arrived by sync since the preview */
  | { readonly name: 'preview'; readonly preview: FacilityImportPreview; readonly bytes: Uint8Array }
  | { readonly name: 'importing'; readonly preview: FacilityImportPreview; readonly bytes: Uint8Array }
  | { readonly name: 'done'; readonly count: number };

/** The real facilities held now (previewOf). */
const realFacilities = (): Facility[] => [...useApp.getState().facilities.values()].filter((f) => !isDemoId(f.id));

/**
 * The file read against the real facilities held now. A demo facility is never what a row updates:
 * its number looks real (the demo's are Tokyo-like), and a city list's row of that number made it
 * the real office under the demo's id, kept off the hub and deleted by 「デモデータを消去」.
 */
function previewOf(bytes: Uint8Array): FacilityImportPreview {
  return parseFacilityCsv(bytes, realFacilities(), new Date().toISOString(), () => globalThis.crypto.randomUUID());
}

/** A row whose change wants a look before the import: a 受入れ narrowed, a number dialled at night changed. */
const wantsLook = (r: FacilityImportRow) => r.errors.length === 0 && r.changes.some((c) => c.alert !== null);

export function FacilityImport() {
  const importFacilities = useApp((s) => s.importFacilities);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [importError, setImportError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // Each choice of a file takes a number: a slower read of a file chosen before (a large one, then
  // the right one) finds it is not the latest and shows nothing, rather than the wrong file's rows.
  const latestChoice = useRef(0);

  async function choose(file: File | undefined) {
    const choice = ++latestChoice.current;
    setImportError(null);
    setConfirming(false);
    if (!file) return setPhase({ name: 'idle' });
    // a file far larger than a city lists is not read into memory at all
    const tooLarge = facilityCsvTooLarge(file.size);
    if (tooLarge !== null) return setPhase({ name: 'failed', message: tooLarge });
    setPhase({ name: 'reading' });
    try {
      const bytes = await readBytes(file);
      if (choice !== latestChoice.current) return;
      setPhase({ name: 'preview', preview: previewOf(bytes), bytes });
    } catch (e) {
      if (choice !== latestChoice.current) return;
      setPhase({ name: 'failed', message: e instanceof FacilityCsvError ? e.message : T.importFailed });
    }
  }

  async function run(preview: FacilityImportPreview, bytes: Uint8Array) {
    if (!preview.ok) return;
    setImportError(null);
    const heldNow = useApp.getState().facilities;
    // A facility that arrived by sync since the preview with the 事業所番号 of a 新規 row would be
    // made twice (the match would list it twice at night): the file is read again against what is
    // held now, and shown before anything is written.
    const heldNumbers = new Set(realFacilities().map((f) => f.officeNumber));
    const arrived = preview.rows.filter((r) => r.action === 'create' && r.facility && heldNumbers.has(r.officeNumber));
    if (arrived.length > 0) {
      setImportError(T.arrivedSincePreview(arrived.map((r) => r.officeNumber)));
      setPhase({ name: 'preview', preview: previewOf(bytes), bytes });
      return;
    }
    // The preview was read against the facilities held then: a bed report or an edit synced since
    // stays, unless the file changed that field (as the form saves, facility-form.tsx).
    const items = preview.rows.flatMap((r) => {
      if (!r.facility || r.action === 'unchanged') return [];
      const held = r.stored ? heldNow.get(r.stored.id) : undefined;
      const facility = r.stored && held ? mergeFormEdit(r.stored, r.facility, held) : r.facility;
      return [{ facility, op: r.action }];
    });
    setPhase({ name: 'importing', preview, bytes });
    try {
      await importFacilities(items);
      setPhase({ name: 'done', count: items.length });
      // 取り込む goes with the preview: the focus goes to the line that says what was imported
      refocusWhenLost(() => document.querySelector('.fac-import-done'));
    } catch (e) {
      setImportError(`${T.importFailed} ${vaultErrorMessage(toVaultError(e).code)}`);
      setPhase({ name: 'preview', preview, bytes });
    }
  }

  const preview = phase.name === 'preview' || phase.name === 'importing' ? phase.preview : null;
  const looks = preview ? preview.rows.filter(wantsLook).length : 0;
  return (
    <Page
      title={T.importTitle}
      back={
        <a className="btn btn--ghost" href={paths.list()}>
          {T.back}
        </a>
      }
    >
      <TextField label={T.fileLabel} hint={T.fileHint} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
      {phase.name === 'reading' ? <Busy>{T.reading}</Busy> : null}
      {phase.name === 'failed' ? <Notice kind="error">{phase.message}</Notice> : null}
      {phase.name === 'done' ? (
        <div className="fac-import-done">
          <Notice kind="ok">{T.imported(phase.count)}</Notice>
        </div>
      ) : null}
      {preview ? <PreviewView preview={preview} /> : null}
      {importError ? <Notice kind="error">{importError}</Notice> : null}
      {preview ? (
        <div className="form-actions">
          <Button
            variant="primary"
            disabled={!preview.ok || phase.name === 'importing'}
            onClick={() => {
              // nothing is undone after the import: a row narrowing a 受入れ or changing a phone is asked about first
              if (phase.name === 'preview' && looks > 0) setConfirming(true);
              else if (phase.name === 'preview') void run(phase.preview, phase.bytes);
            }}
          >
            {phase.name === 'importing' ? T.importing : T.importButton}
          </Button>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming && phase.name === 'preview'}
        title={T.alertConfirmTitle}
        confirmLabel={T.alertConfirm}
        cancelLabel={T.alertCancel}
        danger
        onConfirm={() => {
          setConfirming(false);
          if (phase.name === 'preview') void run(phase.preview, phase.bytes);
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>{T.alertConfirmBody(looks)}</p>
      </ConfirmDialog>
    </Page>
  );
}

function PreviewView({ preview }: { preview: FacilityImportPreview }) {
  const count = (a: 'create' | 'update' | 'unchanged') => preview.rows.filter((r) => r.action === a && r.errors.length === 0).length;
  const noticeCount = preview.rows.reduce((n, r) => n + r.notices.length, 0);
  const looks = preview.rows.filter(wantsLook).length;
  return (
    <Section title={T.previewTitle}>
      <p role="status">{T.encoding(preview.encoding)}</p>
      {preview.ignoredColumns.length > 0 ? <p className="muted">{T.ignored(preview.ignoredColumns)}</p> : null}
      {preview.acceptanceUnread ? <Notice kind="error">{T.acceptanceUnread(preview.ignoredColumns)}</Notice> : null}
      {noticeCount > 0 ? <Notice kind="warn">{T.hasNotices(noticeCount)}</Notice> : null}
      {preview.ok && looks > 0 ? <Notice kind="warn">{T.alertRows(looks)}</Notice> : null}
      {preview.ok ? (
        <p>{T.summary(count('create'), count('update'), count('unchanged'))}</p>
      ) : (
        <Notice kind="error">{T.hasErrors(preview.errorCount)}</Notice>
      )}
      <ul className="fac-import-rows" aria-label={T.importTitle}>
        {preview.rows.map((r) => (
          <li key={r.line} className={r.errors.length > 0 ? 'fac-import-row--error' : undefined}>
            <span>
              {T.rowLine(r.line)} {T.action[r.action]} {r.officeNumber} {r.name}
            </span>
            {r.errors.length > 0 || r.notices.length > 0 || r.changes.length > 0 ? (
              <ul>
                {r.errors.map((e, i) => (
                  <li key={`e${i}`}>{T.rowError(r.line, e.column, e.message)}</li>
                ))}
                {/* what wants a look first, in bold and in words (grayscale shows no colour) */}
                {r.changes.map((c, i) =>
                  c.alert ? (
                    <li key={`a${i}`}>
                      <strong>{T.rowAlert(c)}</strong>
                    </li>
                  ) : null,
                )}
                {r.notices.map((n, i) => (
                  <li key={`n${i}`}>{T.rowNotice(r.line, n.column, n.message)}</li>
                ))}
                {r.changes.map((c, i) => (c.alert ? null : <li key={`c${i}`}>{T.rowChange(c)}</li>))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </Section>
  );
}
