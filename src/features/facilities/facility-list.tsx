/**
 * The manual search: free text, 者/児 and disability-type chips over every facility on this device.
 * A page of rows at a time, as the household list: a hub's 1,000 facilities drawn at once held a cheap
 * phone for about a second when the tab opened and whenever the search was cleared.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { useFacilityWrites } from './use-facility-writes';
import { useApp } from '../../state/store';
import { useMinuteClock } from '../../state/use-minute-clock';
import { DISABILITY_LABELS, DISABILITY_TYPES, type DisabilityType } from '../../domain/disability';
import { japanDateOf, type AgeCategory } from '../../domain/japan-time';
import { officeTwins } from '../../domain/facility-twins';
import { searchFacilities } from '../../domain/match';
import { Button } from '../../ui/button';
import { CheckboxGroup, SelectField, TextField } from '../../ui/field';
import { Page } from '../../ui/layout';
import { ExportButtons } from './export-buttons';
import { T } from './text';
import { navigate, paths } from './use-route';
import { FacilityRow, hasVacancyReport } from './facility-row';

const TYPE_OPTIONS = DISABILITY_TYPES.map((t) => ({ value: t, label: DISABILITY_LABELS[t] }));

/** As the household list: one screen and a half on a phone; 「さらに表示」 gives the rest. */
const PAGE = 20;

export function FacilityList() {
  const facilities = useApp((s) => s.facilities);
  const writes = useFacilityWrites();
  const [text, setText] = useState('');
  const [category, setCategory] = useState<AgeCategory | 'any'>('any');
  const [types, setTypes] = useState<DisabilityType[]>([]);
  const [pages, setPages] = useState(1);
  const deferredText = useDeferredValue(text);
  // the badges age as the coordinator keeps the list open (a report at 01:50 is fresh, not old);
  // only the rows with a report are given the minute, the rest draw again only when the day changes
  const now = useMinuteClock();
  const nowMs = now.getTime();
  const all = useMemo(() => [...facilities.values()], [facilities]);
  const twins = useMemo(() => officeTwins(all), [all]);
  const today = japanDateOf(now);
  const found = useMemo(
    () => searchFacilities(all, { text: deferredText, category, types }),
    [all, deferredText, category, types],
  );
  const shown = found.slice(0, PAGE * pages);

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
        <TextField
          label={T.searchLabel}
          type="search"
          placeholder={T.searchPlaceholder}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPages(1);
          }}
        />
        <SelectField
          label={T.categoryLabel}
          options={T.categoryOptions}
          value={category}
          onChange={(e) => {
            setCategory(e.target.value as AgeCategory | 'any');
            setPages(1);
          }}
        />
        <CheckboxGroup
          legend={T.typesLegend}
          options={TYPE_OPTIONS}
          value={types}
          onChange={(next) => {
            setTypes(next);
            setPages(1);
          }}
        />
      </div>
      <p aria-live="polite" aria-atomic="true">
        {all.length === 0 ? (writes.create ? T.empty : writes.liaison ? T.emptyLiaison : T.emptyReadOnly) : found.length === 0 ? T.noMatch : T.count(found.length)}
      </p>
      <ul className="fac-list" aria-label={T.listTitle}>
        {shown.map((f) => (
          <FacilityRow
            key={f.id}
            facility={f}
            today={today}
            nowMs={hasVacancyReport(f) ? nowMs : null}
            twinCount={twins.has(f.id) ? twins.get(f.id)!.length + 1 : 0}
            canReport={writes.mayEdit(f.id)}
          />
        ))}
      </ul>
      {shown.length < found.length ? (
        <div className="fac-toolbar">
          <Button className="btn--block" onClick={() => setPages((n) => n + 1)}>
            {T.showMore}
          </Button>
        </div>
      ) : null}
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
