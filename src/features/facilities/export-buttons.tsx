/**
 * Downloads the facility list as CSV through a Blob URL: works offline, nothing leaves the device.
 * The demo hub's facilities are left out (a list sent to the city must hold only real ones), and
 * the buttons say how many when there are any.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { FacilityCsvError, exportFacilityCsv } from '../../domain/facility-csv';
import { japanDateOf } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { isDemoId } from '../../domain/demo-id';
import { T } from './text';
import { downloadBytes } from '../../ui/download';

export function ExportButtons() {
  const facilities = useApp((s) => s.facilities);
  const [error, setError] = useState<string | null>(null);
  // Every facility the demo makes has an id starting 'demo-' (demo-facilities.ts); the store keeps them as demo.
  const real = useMemo(() => [...facilities.values()].filter((f) => !isDemoId(f.id)), [facilities]);
  const demoCount = facilities.size - real.length;

  function run(encoding: 'UTF-8' | 'Shift_JIS') {
    setError(null);
    try {
      const bytes = exportFacilityCsv(real, encoding);
      const suffix = encoding === 'UTF-8' ? 'utf8' : 'sjis';
      downloadBytes(bytes, `facilities-${japanDateOf(new Date())}-${suffix}.csv`, 'text/csv');
    } catch (e) {
      setError(e instanceof FacilityCsvError ? e.message : T.exportFailed);
    }
  }

  return (
    <>
      <Button onClick={() => run('UTF-8')}>{T.exportUtf8}</Button>
      <Button onClick={() => run('Shift_JIS')}>{T.exportSjis}</Button>
      {demoCount > 0 ? <p className="muted">{T.exportDemoLeftOut(demoCount)}</p> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </>
  );
}
