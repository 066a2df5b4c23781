import { describe, expect, it } from 'vitest';
import { contactBody } from '../../test/factories/emergency-case';
import { awaitingCallBack, facilitiesAwaitingCallBack } from './call-backs';
import type { ContactBody, Current } from './emergency-case';

const call = (at: string, body: Partial<ContactBody>): Current<ContactBody> => ({
  entryId: `e-${at}-${body.facilityId ?? body.facilityName}`,
  body: contactBody({ contactedAt: at, ...body }),
  recordedAt: at,
  recordedBy: { userId: 'user-1', name: '山田 夜勤' },
  corrections: [],
});
// one office registered twice: two records, one 事業所番号
const aoba = { facilityId: 'fac-1', facilityName: 'あおば荘', facilityOfficeNumber: '1210100001' };
const aobaTwin = { facilityId: 'fac-9', facilityName: 'あおば荘（短期入所）', facilityOfficeNumber: '12-1010-0001' };

describe('折り返し待ち', () => {
  it('is answered by a call back recorded on the other record of an office registered twice', () => {
    const contacts = [call('2026-12-03T15:00:00.000Z', { ...aoba, result: '折り返し待ち' }), call('2026-12-03T15:30:00.000Z', { ...aobaTwin, result: '受入不可' })];
    expect(awaitingCallBack(contacts)).toEqual([]);
  });

  it('counts an office registered twice once, and two offices of one name typed by hand once', () => {
    const contacts = [
      call('2026-12-03T15:00:00.000Z', { ...aoba, result: '折り返し待ち' }),
      call('2026-12-03T15:05:00.000Z', { ...aobaTwin, result: '折り返し待ち' }),
      call('2026-12-03T15:10:00.000Z', { facilityId: null, facilityName: 'みどり園', facilityOfficeNumber: '', result: '折り返し待ち' }),
      call('2026-12-03T15:12:00.000Z', { facilityId: null, facilityName: 'みどり園', facilityOfficeNumber: '', result: '折り返し待ち' }),
      call('2026-12-03T15:20:00.000Z', { facilityId: 'fac-2', facilityName: 'ひまわり', facilityOfficeNumber: '1210100002', result: '折り返し待ち' }),
    ];
    expect(facilitiesAwaitingCallBack(contacts)).toEqual(['あおば荘（短期入所）', 'みどり園', 'ひまわり']);
  });

  it('keeps two offices apart that have no 事業所番号', () => {
    const contacts = [
      call('2026-12-03T15:00:00.000Z', { facilityId: 'fac-3', facilityName: 'さくら', facilityOfficeNumber: '', result: '折り返し待ち' }),
      call('2026-12-03T15:10:00.000Z', { facilityId: 'fac-4', facilityName: 'すみれ', facilityOfficeNumber: '', result: '受入不可' }),
    ];
    expect(facilitiesAwaitingCallBack(contacts)).toEqual(['さくら']);
  });
});
