/** Test data for facilities (STYLE.md habit 7): a valid facility with the fields a test cares about overridden. */
import { emptyFacility, type Facility } from '../../src/domain/facility';

/**
 * 'fac-1' keeps 1210100001; another id gets a number of its own, as the form and the hub's lists expect
 * of distinct offices (two records with one number are one office registered twice: facility-twins.ts).
 */
function officeNumberFor(id: string): string {
  if (id === 'fac-1') return '1210100001';
  let hash = 2166136261;
  for (const ch of id) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return `12${String(hash % 100_000_000).padStart(8, '0')}`;
}

export function createFacility(overrides: Partial<Facility> = {}): Facility {
  const id = overrides.id ?? 'fac-1';
  return {
    ...emptyFacility(id, '2026-11-01T00:00:00.000Z'),
    name: 'あおぞら短期入所',
    officeNumber: officeNumberFor(id),
    area: '中央',
    phone: '047-111-2222',
    ...overrides,
  };
}
