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
import { oneRecordPerOffice } from '../../domain/facility-twins';
import { T } from './text';
import { downloadBytes } from '../../ui/download';

export function ExportButtons() {
  const facilities = useApp((s) => s.facilities);
  const [error, setError] = useState<string | null>(null);
  // Every facility the demo makes has an id starting 'demo-' (demo-facilities.ts); the store keeps them as demo.
  const nonDemo = useMemo(() => [...facilities.values()].filter((f) => !isDemoId(f.id)), [facilities]);
  const demoCount = facilities.size - nonDemo.length;
  // An office registered twice (two phones offline, facility-twins.ts) is one row: the record the
  // match shows. Two rows of one 事業所番号 would make the file one the import refuses.
  const real = useMemo(() => oneRecordPerOffice(nonDemo, Date.now()), [nonDemo]);
  const twinsLeftOut = nonDemo.length - real.length;

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
      {twinsLeftOut > 0 ? <p className="muted">{T.exportTwinsLeftOut(twinsLeftOut)}</p> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </>
  );
}
