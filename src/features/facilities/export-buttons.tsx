/** Downloads the facility list as CSV through a Blob URL: works offline, nothing leaves the device. */
import { useState } from 'react';
import { useApp } from '../../app/store';
import { FacilityCsvError, exportFacilityCsv } from '../../domain/facility-csv';
import { japanDateOf } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { T } from './text';

function download(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; revoke on the next tick.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ExportButtons() {
  const facilities = useApp((s) => s.facilities);
  const [error, setError] = useState<string | null>(null);

  function run(encoding: 'UTF-8' | 'Shift_JIS') {
    setError(null);
    try {
      const bytes = exportFacilityCsv([...facilities.values()], encoding);
      const suffix = encoding === 'UTF-8' ? 'utf8' : 'sjis';
      download(bytes, `facilities-${japanDateOf(new Date())}-${suffix}.csv`);
    } catch (e) {
      setError(e instanceof FacilityCsvError ? e.message : T.exportFailed);
    }
  }

  return (
    <>
      <Button onClick={() => run('UTF-8')}>{T.exportUtf8}</Button>
      <Button onClick={() => run('Shift_JIS')}>{T.exportSjis}</Button>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </>
  );
}
