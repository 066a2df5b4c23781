/**
 * The 聞き取り票 in its paper order (DOMAIN.md §2), as collapsible sections. The sections a coordinator
 * relies on at night and the consent that decides registration start open; the rest start folded.
 */
import { useState, type ReactNode } from 'react';
import type { Person } from '../../domain/household';
import { emptyPerson } from '../../domain/household-schema';
import { useApp } from '../../state/store';
import { personHasRecords } from './person-records';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { AgencyFields, ConsentFields, ContactFields, FamilyFields, HomeFields, ReviewFields } from './form-household';
import type { HouseholdForm } from './form-model';
import { removeAt, replaceAt } from './form-model';
import { PersonBasic, PersonDaily, PersonDisability, PersonMedical, PersonServices, type PersonFieldsProps } from './form-person';
import { F, T } from './text';

/**
 * A folded section remembers, for this tab, whether it was opened or closed: after an idle lock in an
 * hour-long interview the form comes back with the section being filled still open. (Only the
 * section's title is kept, in sessionStorage: nothing of the family.)
 */
function Fold({ title, open = false, children }: { title: string; open?: boolean; children: ReactNode }) {
  const key = `kyoten:form-fold:${title}`;
  const [initial] = useState(() => {
    const kept = readKept(key);
    return kept === null ? open : kept === '1';
  });
  return (
    <details open={initial} onToggle={(e) => keep(key, e.currentTarget.open ? '1' : '0')}>
      {/* a heading, so that a screen reader's heading list walks the 聞き取り票 section by section */}
      <summary>
        <h2 className="hh-fold__title">{title}</h2>
      </summary>
      <div className="hh-form__body">{children}</div>
    </details>
  );
}

function readKept(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function keep(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // private mode or storage full: the section opens as it always did
  }
}

export interface FormSectionsProps {
  readonly form: HouseholdForm;
  readonly update: (patch: Partial<HouseholdForm>) => void;
  readonly err: (path: string) => string | undefined;
}

export function FormSections({ form, update, err }: FormSectionsProps) {
  const [removing, setRemoving] = useState<number | null>(null);
  const caseEntries = useApp((s) => s.caseEntries);
  const trialStays = useApp((s) => s.trialStays);
  const recordsOf = (personId: string): boolean => personHasRecords(form.id, personId, caseEntries, trialStays);
  const persons = form.persons;
  const setPerson = (i: number) => (patch: Partial<Person>) => {
    const current = persons[i];
    if (current) update({ persons: replaceAt(persons, i, { ...current, ...patch }) });
  };

  /** Renders one block per person; with several persons each sits in a fieldset named after the person. */
  const perPerson = (Block: (props: PersonFieldsProps) => ReactNode, extra?: (i: number) => ReactNode) =>
    persons.map((p, i) => {
      const body = (
        <>
          <Block person={p} at={`persons.${i}`} update={setPerson(i)} err={err} />
          {extra?.(i)}
        </>
      );
      return persons.length > 1 ? (
        <fieldset key={p.id} className="hh-person">
          <legend>
            {F.person(i)}
            {p.name ? `：${p.name}` : ''}
          </legend>
          {body}
        </fieldset>
      ) : (
        <div key={p.id}>{body}</div>
      );
    });

  const removeButton = (i: number) =>
    persons.length > 1 ? (
      <Button variant="ghost" onClick={() => setRemoving(i)}>
        {F.removePerson}
      </Button>
    ) : null;

  return (
    <>
      <Fold title={F.basic} open>
        {perPerson(PersonBasic, removeButton)}
        <Button onClick={() => update({ persons: [...persons, emptyPerson(crypto.randomUUID())] })}>＋ {F.addPerson}</Button>
        <HomeFields form={form} update={update} err={err} />
      </Fold>
      <Fold title={F.disability} open>
        {perPerson(PersonDisability)}
      </Fold>
      <Fold title={F.medical} open>
        {perPerson(PersonMedical)}
      </Fold>
      <Fold title={F.services}>{perPerson(PersonServices)}</Fold>
      <Fold title={F.daily}>{perPerson(PersonDaily)}</Fold>
      <Fold title={F.contacts} open>
        <ContactFields form={form} update={update} err={err} />
      </Fold>
      <Fold title={F.family}>
        <FamilyFields form={form} update={update} err={err} />
      </Fold>
      <Fold title={F.agencies}>
        <AgencyFields form={form} update={update} err={err} />
      </Fold>
      <Fold title={F.consent} open>
        <ConsentFields form={form} update={update} err={err} />
      </Fold>
      <Fold title={F.other}>
        <ReviewFields form={form} update={update} err={err} />
      </Fold>
      {removing !== null && recordsOf(persons[removing]?.id ?? '') ? (
        // Their cases and trial stays read the person from here: the claim (者 or 児, the 計画相談
        // office), the yearly report's 事前登録者. Removed, past months would be counted again wrong.
        <ConfirmDialog open title={F.removePersonRecordedTitle} confirmLabel={F.removePersonRecordedClose} cancelLabel={null} onCancel={() => setRemoving(null)} onConfirm={() => setRemoving(null)}>
          <p>{F.removePersonRecorded(persons[removing]?.name || T.noName)}</p>
        </ConfirmDialog>
      ) : (
        <ConfirmDialog
          open={removing !== null}
          title={F.removePersonTitle}
          confirmLabel={F.removeConfirm}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            if (removing !== null) update({ persons: removeAt(persons, removing) });
            setRemoving(null);
          }}
        >
          <p>{F.removePersonBody(persons[removing ?? 0]?.name || T.noName)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
