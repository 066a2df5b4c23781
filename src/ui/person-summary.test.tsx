import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createPerson } from '../../test/factories/household';
import { FirstContacts, PersonEssentials } from './person-summary';

const careLine = () => screen.getByText('医ケア').nextElementSibling;

describe('PersonEssentials: the 医ケア line', () => {
  it('says 要（内容未記入）, not なし, when 障害の種類 has 医療的ケア but no care is written', () => {
    render(<PersonEssentials person={createPerson({ name: '佐藤 陽太', disabilityTypes: ['intellectual', 'medical-care'] })} today="2026-05-01" />);
    expect(careLine()).toHaveTextContent(/^要（内容未記入）$/);
  });

  it('names 重症心身障害 when it is ticked and no care is written', () => {
    render(<PersonEssentials person={createPerson({ disabilityTypes: ['severe-multiple'] })} today="2026-05-01" />);
    expect(careLine()).toHaveTextContent(/^要（内容未記入）／重症心身障害$/);
  });

  it('names 重症心身障害 from its own flag too', () => {
    render(<PersonEssentials person={createPerson({ disabilityTypes: ['intellectual'], severeMultiple: true })} today="2026-05-01" />);
    expect(careLine()).toHaveTextContent(/^要（内容未記入）／重症心身障害$/);
  });

  it('shows the care written when it is written', () => {
    render(<PersonEssentials person={createPerson({ id: 'a', disabilityTypes: ['medical-care'], medicalCare: ['suction'], medicalCareDetails: '夜間2回' })} today="2026-05-01" />);
    expect(careLine()).not.toHaveTextContent('未記入');
    expect(careLine()).toHaveTextContent('夜間2回');
  });

  it('says 未記入, not なし, on a 仮登録 where nothing is written', () => {
    render(<PersonEssentials person={createPerson({ disabilityTypes: ['intellectual'] })} today="2026-05-01" provisional />);
    expect(careLine()).toHaveTextContent(/^未記入（仮登録）$/);
  });

  it('says なし for a person with no medical-care need', () => {
    render(<PersonEssentials person={createPerson({ disabilityTypes: ['intellectual'] })} today="2026-05-01" />);
    expect(careLine()).toHaveTextContent(/^なし$/);
  });
});

describe('PersonEssentials: the 服薬 line keeps the allergy on the first screen', () => {
  const medsLine = () => screen.getByText('服薬').nextElementSibling;
  const longMedications = 'デパケンR 200mg 朝夕、リスパダール 1mg 就寝前、マイスリー 5mg 不眠時、酸化マグネシウム 330mg 毎食後、ミヤBM 毎食後、ラコール 1日3回 経管';

  it('puts アレルギー before a long medication list, which the two-line cut would hide it behind', () => {
    render(<PersonEssentials person={createPerson({ medications: longMedications, allergies: 'ペニシリン' })} today="2026-05-01" />);
    expect(medsLine()).toHaveTextContent(/^アレルギー: ペニシリン／デパケンR/);
  });

  it('shows the allergy alone when no medication is written, and the medications alone when no allergy is', () => {
    const { unmount } = render(<PersonEssentials person={createPerson({ medications: '', allergies: 'そば' })} today="2026-05-01" />);
    expect(medsLine()).toHaveTextContent(/^アレルギー: そば$/);
    unmount();
    render(<PersonEssentials person={createPerson({ medications: 'デパケン 朝夕', allergies: '' })} today="2026-05-01" />);
    expect(medsLine()).toHaveTextContent(/^デパケン 朝夕$/);
  });
});

describe('FirstContacts: who to call first, now', () => {
  const at0210 = new Date('2026-12-02T17:10:00.000Z');
  const calls = () => within(screen.getByRole('list', { name: '緊急連絡先' })).getAllByRole('link');

  it('at 02:10 puts a contact whose note says 夜間は不在 after the others, and says why when it is shown', () => {
    render(
      <FirstContacts
        contacts={[
          { name: '佐藤 花子', relation: '母', phones: ['090-1111-2222'], note: '夜勤のため夜間は不在' },
          { name: '田中 一郎', relation: '叔父', phones: ['03-3333-4444'], note: '' },
        ]}
        at={at0210}
      />,
    );
    expect(calls().map((c) => c.textContent)).toEqual(['叔父 03-3333-4444', '母 090-1111-2222夜勤のため夜間は不在']);
    expect(calls()[0]).toHaveAttribute('href', 'tel:0333334444');
  });

  it('shows the third contact when one of the first two gives no number that answers at night', () => {
    render(
      <FirstContacts
        contacts={[
          { name: 'A', relation: '母', phones: ['090-1111-2222'], note: '21時まで' },
          { name: 'B', relation: '叔母', phones: ['03-3333-4444'], note: '' },
          { name: 'C', relation: '兄', phones: ['047-555-6666'], note: '' },
        ]}
        at={at0210}
      />,
    );
    expect(calls().map((c) => c.querySelector('.ps-call__who')?.textContent)).toEqual(['叔母', '兄']);
  });

  it('fills the second place with the 相談支援専門員 when the household has one contact', () => {
    render(
      <FirstContacts
        contacts={[{ name: 'A', relation: '叔母', phones: ['090-1111-2222'], note: '' }]}
        caseWorker={{ name: '山田 太郎', phone: '047-000-1111' }}
        at={at0210}
      />,
    );
    expect(calls().map((c) => c.textContent)).toEqual(['叔母 090-1111-2222', '相談支援専門員 047-000-1111山田 太郎']);
  });

  it('puts the 相談支援専門員 on a slim line under two contacts with numbers', () => {
    render(
      <FirstContacts
        contacts={[
          { name: 'A', relation: '叔母', phones: ['090-1111-2222'], note: '' },
          { name: 'B', relation: '祖父', phones: ['03-3333-4444'], note: '' },
        ]}
        caseWorker={{ name: '山田 太郎', phone: '047-000-1111' }}
        at={at0210}
      />,
    );
    expect(calls()).toHaveLength(2);
    expect(screen.getByRole('link', { name: '相談支援専門員 山田 太郎 047-000-1111' })).toHaveAttribute('href', 'tel:0470001111');
  });
});
