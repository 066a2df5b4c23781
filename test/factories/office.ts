/**
 * Test data for 相談支援事業所 (STYLE.md habit 7): a hub office positioned from 2024-04-01, running
 * neither 地域定着支援 nor 自立生活援助 as one body, unless told.
 */
import { NO_ONE_BODY, type Office } from '../../src/domain/office';

export function createOffice(overrides: Partial<Office> = {}): Office {
  return {
    id: 'office-1',
    name: '相談支援センター あおば',
    officeNumber: '1210000001',
    hubPeriods: [{ from: '2024-04-01', to: null, note: '' }],
    oneBody: NO_ONE_BODY,
    createdAt: '2024-04-01T00:00:00.000Z',
    updatedAt: '2024-04-01T00:00:00.000Z',
    ...overrides,
  };
}
