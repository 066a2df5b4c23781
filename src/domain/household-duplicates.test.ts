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

  it('finds the same ふりがな and 生年月日 under another choice of kanji or in kana, and not a twin who reads otherwise', () => {
    const takumi = createPerson({ id: 'p-1', name: '佐藤 拓海', furigana: 'さとう たくみ', birthDate: '2013-04-02', recipientNumber: '' });
    const held = summarizeHousehold(createHousehold({ id: 'hh-2', persons: [takumi, { ...takumi, id: 'p-2', name: '佐藤 拓真', furigana: 'さとう たくま' }] }));
    const retyped = createHousehold({ id: 'hh-1', persons: [{ ...takumi, name: '佐藤 琢海' }] });
    expect(possibleDuplicates(retyped, [held])).toEqual([{ householdId: 'hh-2', name: '佐藤 拓海', savedName: '佐藤 琢海', why: 'ふりがなと生年月日' }]);
    const inKana = createHousehold({ id: 'hh-1', persons: [{ ...takumi, name: 'サトウ タクミ', furigana: 'サトウタクミ' }] });
    expect(possibleDuplicates(inKana, [held]).map((d) => d.name)).toEqual(['佐藤 拓海']);
    // the name and the reading both: said once, by the name
    expect(possibleDuplicates(createHousehold({ id: 'hh-1', persons: [takumi] }), [held]).map((d) => d.why)).toEqual(['氏名と生年月日']);
    // no reading on either side: nothing by reading
    expect(possibleDuplicates(createHousehold({ id: 'hh-1', persons: [{ ...takumi, name: '佐藤 琢海', furigana: '' }] }), [held])).toEqual([]);
  });

  it('leaves out the household itself, a withdrawn one, a blank number, and a namesake born another day', () => {
    const mine = createHousehold({ id: 'hh-1', persons: [yota({ recipientNumber: '' })] });
    const self = summarizeHousehold(mine);
    const withdrawn = summarizeHousehold(createHousehold({ id: 'hh-2', persons: [yota()], withdrawal: { date: '2026-01-01', reason: '転居' } }));
    const namesake = summarizeHousehold(createHousehold({ id: 'hh-3', persons: [yota({ birthDate: '2011-05-01', recipientNumber: '' })] }));
    expect(possibleDuplicates(mine, [self, withdrawn, namesake])).toEqual([]);
  });
});
