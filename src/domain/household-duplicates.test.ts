import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { possibleDuplicates, summarizeHousehold } from './household-summary';

const yota = (overrides = {}) => createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2010-05-01', recipientNumber: '1234567890', ...overrides });

describe('possibleDuplicates', () => {
  it('finds the same 受給者証番号, or the same name (異体字 and spaces aside) and 生年月日, in another household', () => {
    const other = summarizeHousehold(createHousehold({ id: 'hh-2', persons: [yota({ name: '佐藤陽太', recipientNumber: '' })] }));
    const mine = createHousehold({ id: 'hh-1', persons: [yota({ recipientNumber: '' })] });
    expect(possibleDuplicates(mine, [other])).toEqual([{ householdId: 'hh-2', name: '佐藤陽太', savedName: '佐藤 陽太', why: '氏名と生年月日' }]);
    const byNumber = summarizeHousehold(createHousehold({ id: 'hh-3', persons: [yota({ name: '別の名前', birthDate: null })] }));
    expect(possibleDuplicates({ ...mine, persons: [yota()] }, [byNumber])).toMatchObject([{ householdId: 'hh-3', why: '受給者証番号' }]);
    expect(possibleDuplicates(createHousehold({ id: 'hh-1', persons: [createPerson({ name: '髙橋 蓮', birthDate: '2012-01-01' })] }), [summarizeHousehold(createHousehold({ id: 'hh-4', persons: [createPerson({ name: '高橋 蓮', birthDate: '2012-01-01' })] }))])).toHaveLength(1);
  });

  it('leaves out the household itself, a withdrawn one, a blank number, and a namesake born another day', () => {
    const mine = createHousehold({ id: 'hh-1', persons: [yota({ recipientNumber: '' })] });
    const self = summarizeHousehold(mine);
    const withdrawn = summarizeHousehold(createHousehold({ id: 'hh-2', persons: [yota()], withdrawal: { date: '2026-01-01', reason: '転居' } }));
    const namesake = summarizeHousehold(createHousehold({ id: 'hh-3', persons: [yota({ birthDate: '2011-05-01', recipientNumber: '' })] }));
    expect(possibleDuplicates(mine, [self, withdrawn, namesake])).toEqual([]);
  });
});
