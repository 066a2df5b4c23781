/**
 * Test data for households: valid by default, so a test states only what it is about.
 * `createHousehold({ persons: [createPerson({ birthDate: '2010-04-01' })] })`.
 */
import type { Household, Person } from '../../src/domain/household';
import { emptyHousehold, emptyPerson } from '../../src/domain/household-schema';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${String(++seq).padStart(4, '0')}`;

/** A valid adult (者) with a name, furigana, birth date and 受給者証番号. */
export function createPerson(overrides: Partial<Person> = {}): Person {
  return {
    ...emptyPerson(nextId('test-p')),
    name: '山田 花子',
    furigana: 'ヤマダ ハナコ',
    birthDate: '2000-04-01',
    sex: 'female',
    recipientNumber: '1234567890',
    disabilityTypes: ['intellectual'],
    supportLevel: 3,
    ...overrides,
  };
}

/** A valid registered household (with 同意書, reviewed 2026-04-01) holding one person from createPerson(). */
export function createHousehold(overrides: Partial<Household> = {}): Household {
  const now = '2026-04-01T01:00:00.000Z';
  return {
    ...emptyHousehold(nextId('test-h'), now),
    address: 'みなと市港町1丁目2番3号',
    phone: '03-0123-4567',
    persons: [createPerson()],
    emergencyContacts: [{ name: '山田 一郎', relation: '父', phones: ['090-0123-4567'], note: '', furigana: 'やまだ いちろう' }],
    mainCaregiver: '父（山田 一郎）',
    registeringOffice: '相談支援事業所 かもめ',
    caseWorker: '小野 恵美',
    caseWorkerPhone: '03-0550-2211',
    consent: { date: '2026-04-01', consentedBy: '山田 一郎', scope: '緊急時の受入れ調整に必要な範囲' },
    lastReviewedOn: '2026-04-01',
    ...overrides,
  };
}
