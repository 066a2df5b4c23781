import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClosureLine, VacancyBadge } from './vacancy-badge';

// Tuesday 2026-11-24 21:00 Japan time
const TUESDAY_NIGHT = new Date('2026-11-24T12:00:00.000Z');

describe('the facility list badge', () => {
  it('says for which nights a report holds and whether it is about tonight, as the match reads it', () => {
    const weekend = { beds: 2, asOf: '2026-11-24T03:00:00.000Z', reportedBy: '田中', from: '2026-11-28', until: '2026-11-29' };
    const { unmount } = render(<VacancyBadge vacancy={weekend} now={TUESDAY_NIGHT} />);
    expect(screen.getByText(/空き 2床/)).toHaveTextContent('空き 2床（11/28〜11/29）・今日 12:00の報告・今夜は対象外');
    unmount();
    render(<VacancyBadge vacancy={{ beds: 1, asOf: '2026-11-22T03:00:00.000Z', reportedBy: '' }} now={TUESDAY_NIGHT} />);
    expect(screen.getByText(/空き 1床/)).toHaveTextContent(/・古い情報$/);
  });
});

describe('the 休止・廃止 line under a facility', () => {
  it('says a closure holding today with its reason, one still to come as planned, and nothing once a 休止 is over', () => {
    const closure = { kind: 'suspended', from: '2026-12-10', until: '2026-12-20', note: '改修工事' } as const;
    const { container, rerender } = render(<ClosureLine facility={{ closure }} today="2026-12-03" />);
    expect(container).toHaveTextContent('12/10から休止予定・改修工事');
    rerender(<ClosureLine facility={{ closure }} today="2026-12-10" />);
    expect(container).toHaveTextContent('休止中（12/20まで）・改修工事');
    rerender(<ClosureLine facility={{ closure }} today="2026-12-21" />);
    expect(container).toBeEmptyDOMElement();
    rerender(<ClosureLine facility={{ closure: { kind: 'closed', from: '2026-12-01', until: null, note: '' } }} today="2026-12-21" />);
    expect(container).toHaveTextContent('廃止（2026年12月1日から）');
  });
});
