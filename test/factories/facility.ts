/** Test data for facilities (STYLE.md habit 7): a valid facility with the fields a test cares about overridden. */
import { emptyFacility, type Facility } from '../../src/domain/facility';

export function createFacility(overrides: Partial<Facility> = {}): Facility {
  return {
    ...emptyFacility('fac-1', '2026-11-01T00:00:00.000Z'),
    name: 'あおぞら短期入所',
    officeNumber: '1210100001',
    area: '中央',
    phone: '047-111-2222',
    ...overrides,
  };
}
