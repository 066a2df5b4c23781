/**
 * Domain figures that need no browser: the emergency match of one person against 1,000 facilities
 * (goal p95 < 16 ms), and reading a 1,000-row facility CSV into an import preview.
 * Run by `npm run bench` before the browser figures.
 */
import { generateDemoHub } from '../src/domain/demo-data';
import { matchFacilities } from '../src/domain/match';
import { exportFacilityCsv, parseFacilityCsv } from '../src/domain/facility-csv';
import { median, ms, percentile, verdict } from './stats';

export function benchMatch(): void {
  const now = new Date().toISOString();
  const { households, facilities } = generateDemoHub({ households: 200, facilities: 1_000, now });
  const persons = households.flatMap((h) => h.persons).filter((p) => p.birthDate && p.disabilityTypes.length > 0);
  const times: number[] = [];
  let fits = 0;
  for (let round = 0; round < 5; round++) {
    for (const person of persons) {
      const t0 = performance.now();
      const result = matchFacilities({ person, callAt: now, facilities });
      times.push(performance.now() - t0);
      if (result.kind === 'ok') fits += result.fits.length;
    }
  }
  const p95 = percentile(times, 95);
  console.log(
    `\nEmergency match, one person against ${facilities.length.toLocaleString()} facilities (${times.length} matches, ${(fits / times.length).toFixed(1)} fits on average):` +
      `\n  median ${ms(median(times))}, p95 ${ms(p95)}  ${verdict(p95, 16)}`,
  );
}

export function benchCsvImport(): void {
  const now = new Date().toISOString();
  const { facilities } = generateDemoHub({ households: 0, facilities: 1_000, now });
  for (const encoding of ['UTF-8', 'Shift_JIS'] as const) {
    const bytes = exportFacilityCsv(facilities, encoding);
    const times: number[] = [];
    let rows = 0;
    for (let round = 0; round < 5; round++) {
      let n = 0;
      const t0 = performance.now();
      const preview = parseFacilityCsv(bytes, [], now, () => `bench-${round}-${n++}`);
      times.push(performance.now() - t0);
      rows = preview.rows.length;
      if (!preview.ok) throw new Error(`bench CSV did not parse cleanly: ${preview.errorCount} errors`);
    }
    console.log(`Facility CSV import preview, ${rows.toLocaleString()} rows, ${encoding} (${(bytes.length / 1024).toFixed(0)} KB): median ${ms(median(times))} of 5`);
  }
}
