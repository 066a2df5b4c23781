/** Small statistics for benchmark figures. */
import { readFileSync } from 'node:fs';
import type pg from 'pg';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function verdict(value: number, goal: number): string {
  return value <= goal ? `OK (goal ≤ ${goal})` : `OVER GOAL (goal ≤ ${goal})`;
}

/** CPU seconds (user + system) a process has used, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU milliseconds used since `start()` by this process and by the PostgreSQL backends whose
 * application_name is `application` (a store opened with it).
 */
export function cpuMeter(raw: pg.Pool, application: string) {
  const backends = async () => {
    const rows = await raw.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [application]);
    return new Map(rows.rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  };
  return {
    async start() {
      return { pg: await backends(), node: process.cpuUsage() };
    },
    async used(since: { readonly pg: Map<number, number>; readonly node: NodeJS.CpuUsage }) {
      const node = process.cpuUsage(since.node);
      let pgSeconds = 0;
      for (const [pid, now] of await backends()) pgSeconds += now - (since.pg.get(pid) ?? 0);
      return { node: (node.user + node.system) / 1000, pg: pgSeconds * 1000 };
    },
  };
}
