/** The manual search: free text, 者/児 and disability-type chips over every facility on this device. */
import { useDeferredValue, useMemo, useState } from 'react';
import { useFacilityWrites } from './use-facility-writes';
import { useApp } from '../../state/store';
import { useMinuteClock } from '../../state/use-minute-clock';
import { DISABILITY_LABELS, DISABILITY_TYPES, type DisabilityType } from '../../domain/disability';
import { japanDateOf, type AgeCategory } from '../../domain/japan-time';
import { officeTwins } from '../../domain/facility-twins';
import { searchFacilities } from '../../domain/match';
import { reportForNight } from '../../domain/match-order';
import { Button } from '../../ui/button';
import { CheckboxGroup, SelectField, TextField } from '../../ui/field';
import { Page } from '../../ui/layout';
import { ExportButtons } from './export-buttons';
import { T } from './text';
import { navigate, paths } from './use-route';
import { ClosureLine, VacancyBadge } from './vacancy-badge';

const TYPE_OPTIONS = DISABILITY_TYPES.map((t) => ({ value: t, label: DISABILITY_LABELS[t] }));

export function FacilityList() {
  const facilities = useApp((s) => s.facilities);
  const writes = useFacilityWrites();
  const [text, setText] = useState('');
  const [category, setCategory] = useState<AgeCategory | 'any'>('any');
  const [types, setTypes] = useState<DisabilityType[]>([]);
  const deferredText = useDeferredValue(text);
  // the badges age as the coordinator keeps the list open (a report at 01:50 is fresh, not old)
  const now = useMinuteClock();
  const all = useMemo(() => [...facilities.values()], [facilities]);
  const twins = useMemo(() => officeTwins(all), [all]);
  const today = japanDateOf(now);
  const found = useMemo(
    () => searchFacilities(all, { text: deferredText, category, types }),
    [all, deferredText, category, types],
  );

  return (
    <Page
      title={T.listTitle}
      actions={
        writes.create ? (
          <Button variant="primary" onClick={() => navigate(paths.new())}>
            {T.register}
          </Button>
        ) : undefined
      }
    >
      <div className="fac-search" role="search">
        <TextField label={T.searchLabel} type="search" placeholder={T.searchPlaceholder} value={text} onChange={(e) => setText(e.target.value)} />
        <SelectField
          label={T.categoryLabel}
          options={T.categoryOptions}
          value={category}
          onChange={(e) => setCategory(e.target.value as AgeCategory | 'any')}
        />
        <CheckboxGroup legend={T.typesLegend} options={TYPE_OPTIONS} value={types} onChange={setTypes} />
      </div>
      <p aria-live="polite" aria-atomic="true">
        {all.length === 0 ? T.empty : found.length === 0 ? T.noMatch : T.count(found.length)}
      </p>
      <ul className="fac-list" aria-label={T.listTitle}>
        {found.map((f) => (
          <li key={f.id}>
            <a className="fac-row" href={paths.detail(f.id)}>
              <span>
                <span className="fac-row__name">{f.name || T.noName}</span>
                <br />
                <span className="muted">{f.area || T.noArea}</span>
                <ClosureLine facility={f} today={today} />
                {twins.has(f.id) ? <span className="fac-row__twins">{T.twinsShort(twins.get(f.id)!.length + 1)}</span> : null}
              </span>
              <VacancyBadge vacancy={reportForNight(f, now.getTime())} now={now} />
            </a>
            {writes.edit ? (
              <a className="btn btn--secondary fac-row__report" href={paths.vacancy(f.id)} aria-label={T.reportVacancyOf(f.name || T.noName)}>
                {T.reportVacancy}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="fac-toolbar">
        {writes.create ? (
          <a className="btn btn--secondary" href={paths.import()}>
            {T.importCsv}
          </a>
        ) : (
          <p className="muted">{writes.liaison ? T.liaisonOwnOnly : T.readOnlyForRole}</p>
        )}
        <ExportButtons />
      </div>
    </Page>
  );
}
