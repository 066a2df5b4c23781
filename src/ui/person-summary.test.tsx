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
