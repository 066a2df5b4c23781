import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createPerson } from '../../test/factories/household';
import { PersonEssentials } from './person-summary';

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
