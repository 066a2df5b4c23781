/**
 * 今夜の検索だけの条件: a person registered in a hurry (仮登録: a name and a number) has no birth
 * date or no disability type, and the match cannot tell who takes them. At 02:10 the coordinator
 * knows enough from the aunt (「16歳、知的で、夜は経管栄養」): they choose 者/児 and the types here,
 * for tonight's search only. Nothing is written to the 聞き取り票, and nothing is kept past the lock.
 */
import { useState, type FormEvent } from 'react';
import { DISABILITY_LABELS, DISABILITY_TYPES, type DisabilityType } from '../../domain/disability';
import type { IsoDate, Person } from '../../domain/household';
import { addMonthsToDate, type AgeCategory } from '../../domain/japan-time';
import type { MissingPersonField } from '../../domain/match';
import { useApp } from '../../state/store';
import { Button } from '../../ui/button';
import { CheckboxGroup } from '../../ui/field';
import { Section } from '../../ui/layout';
import { T } from './text';

export interface Tonight {
  /** 者/児 chosen for a person with no usable birth date; null when the record has one */
  readonly category: AgeCategory | null;
  /** the types chosen for a person with none recorded; empty when the record has them */
  readonly types: readonly DisabilityType[];
}

/** Chosen per person (`householdId/personId`) until the phone locks: in memory only, never stored. */
const chosen = new Map<string, Tonight>();
useApp.subscribe((state, before) => {
  if (before.session !== null && state.session === null) chosen.clear();
});

/** The choice for the person `key` names, read each render (the screen may move to another person). */
export function useTonight(key: string): [Tonight | null, (t: Tonight) => void] {
  const [, chose] = useState(0);
  return [
    chosen.get(key) ?? null,
    (t) => {
      chosen.set(key, t);
      chose((n) => n + 1);
    },
  ];
}

/**
 * The person as tonight's match reads them: what the record lacks, filled from the choice. A
 * stand-in birth date gives the category only (40 or 10 years before the day): the screen shows no
 * age for it.
 */
export function personForTonight(person: Person, tonight: Tonight, day: IsoDate): Person {
  const years = tonight.category === 'adult' ? 40 : 10;
  return {
    ...person,
    ...(tonight.category !== null ? { birthDate: addMonthsToDate(day, -12 * years) } : {}),
    ...(tonight.types.length > 0 ? { disabilityTypes: [...tonight.types] } : {}),
  };
}

export function TonightForm({ missing, onChoose }: { missing: readonly MissingPersonField[]; onChoose: (t: Tonight) => void }) {
  const needsCategory = missing.includes('birthDate');
  const needsTypes = missing.includes('disabilityTypes');
  const [category, setCategory] = useState<AgeCategory | null>(null);
  const [types, setTypes] = useState<readonly DisabilityType[]>([]);
  const ready = (!needsCategory || category !== null) && (!needsTypes || types.length > 0);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (ready) onChoose({ category: needsCategory ? category : null, types: needsTypes ? types : [] });
  }

  return (
    <Section title={T.tonightTitle}>
      <p className="muted">{T.tonightIntro}</p>
      <form autoComplete="off" className="match-tonight" onSubmit={submit} noValidate>
        {needsCategory ? (
          <fieldset className="field checks">
            <legend className="field__label">{T.tonightCategory}</legend>
            <div className="checks__grid">
              {(['adult', 'child'] as const).map((c) => (
                <label key={c} className="check">
                  <input type="radio" name="tonight-category" autoComplete="off" checked={category === c} onChange={() => setCategory(c)} />
                  <span>{T.tonightCategoryLabel[c]}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {needsTypes ? (
          <CheckboxGroup legend={T.tonightTypes} options={DISABILITY_TYPES.map((t) => ({ value: t, label: DISABILITY_LABELS[t] }))} value={types} onChange={setTypes} />
        ) : null}
        <Button type="submit" variant="primary" disabled={!ready}>
          {T.tonightSearch}
        </Button>
      </form>
    </Section>
  );
}
