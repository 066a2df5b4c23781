/** The household-level parts of the 聞き取り票: contacts in calling order, family, agencies, consent, review. */
import { useStore } from 'zustand';
import type { StaffMember } from '../../protocol/sync';
import { useApp } from '../../state/store';
import { syncStatus } from '../../sync/status';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { ListEditor } from './form-list';
import type { HouseholdForm } from './form-model';
import { F } from './text';

export interface HouseholdFieldsProps {
  readonly form: HouseholdForm;
  readonly update: (patch: Partial<HouseholdForm>) => void;
  readonly err: (path: string) => string | undefined;
}

const LEGACY = '__typed__';

/**
 * Who may be a household's 担当: on a device joined to a hub, the hub's case workers of the
 * household's office (any office's when it has none); alone, the people who use this device.
 */
export function useCaseWorkers(officeId: string | null): readonly Pick<StaffMember, 'userId' | 'displayName'>[] {
  const joined = useStore(syncStatus, (s) => s.joined);
  const staff = useStore(syncStatus, (s) => s.staff);
  const users = useApp((s) => s.users);
  // Joined, the 担当 is a hub user: before the hub's list is known here (kept from the last sync),
  // none is offered rather than the device's people, whose ids mean nothing to the hub.
  if (joined) return staff === null ? [] : staff.filter((p) => p.role === 'case-worker' && (officeId === null || p.officeId === officeId));
  return users.map((u) => ({ userId: u.id, displayName: u.displayName }));
}

export function HomeFields({ form, update, err }: HouseholdFieldsProps) {
  return (
    <div className="hh-grid2">
      <TextField label={F.address} autoComplete="off" value={form.address} data-path="address" error={err('address')} onChange={(e) => update({ address: e.target.value })} />
      <TextField label={F.phone} type="tel" autoComplete="off" value={form.phone} data-path="phone" error={err('phone')} onChange={(e) => update({ phone: e.target.value })} />
    </div>
  );
}

export function ContactFields({ form, update, err }: HouseholdFieldsProps) {
  return (
    <>
      <ListEditor
        items={form.emergencyContacts}
        onChange={(emergencyContacts) => update({ emergencyContacts })}
        blank={() => ({ name: '', furigana: '', relation: '', phonesText: '', note: '' })}
        addLabel={F.addContact}
        itemLabel={F.contactN}
        ordered
      >
        {(c, i, set) => (
          <>
            <div className="hh-grid2">
              <TextField label={F.contactName} value={c.name} data-path={`emergencyContacts.${i}.name`} error={err(`emergencyContacts.${i}.name`)} onChange={(e) => set({ name: e.target.value })} />
              <TextField label={F.contactFurigana} hint={F.contactFuriganaHint} value={c.furigana} data-path={`emergencyContacts.${i}.furigana`} error={err(`emergencyContacts.${i}.furigana`)} onChange={(e) => set({ furigana: e.target.value })} />
            </div>
            <TextField label={F.relation} value={c.relation} data-path={`emergencyContacts.${i}.relation`} error={err(`emergencyContacts.${i}.relation`)} onChange={(e) => set({ relation: e.target.value })} />
            <TextArea label={F.contactPhones} hint={F.contactPhonesHint} rows={2} value={c.phonesText} data-path={`emergencyContacts.${i}.phonesText`} error={err(`emergencyContacts.${i}.phonesText`)} onChange={(e) => set({ phonesText: e.target.value })} />
            <TextField label={F.note} value={c.note} data-path={`emergencyContacts.${i}.note`} onChange={(e) => set({ note: e.target.value })} />
          </>
        )}
      </ListEditor>
      <TextField label={F.legalRepresentative} value={form.legalRepresentative} data-path="legalRepresentative" onChange={(e) => update({ legalRepresentative: e.target.value })} />
    </>
  );
}

export function FamilyFields({ form, update }: HouseholdFieldsProps) {
  return (
    <>
      <ListEditor items={form.family} onChange={(family) => update({ family })} blank={() => ({ name: '', relation: '', age: '', note: '' })} addLabel={F.addMember} itemLabel={(i) => `${F.members} ${i + 1}`}>
        {(m, i, set) => (
          <div className="hh-grid2">
            <TextField label={F.memberName} value={m.name} data-path={`family.${i}.name`} onChange={(e) => set({ name: e.target.value })} />
            <TextField label={F.relation} value={m.relation} data-path={`family.${i}.relation`} onChange={(e) => set({ relation: e.target.value })} />
            <TextField label={F.age} value={m.age} data-path={`family.${i}.age`} onChange={(e) => set({ age: e.target.value })} />
            <TextField label={F.note} value={m.note} data-path={`family.${i}.note`} onChange={(e) => set({ note: e.target.value })} />
          </div>
        )}
      </ListEditor>
      <TextField label={F.mainCaregiver} value={form.mainCaregiver} data-path="mainCaregiver" onChange={(e) => update({ mainCaregiver: e.target.value })} />
      <TextArea label={F.caregiverHealth} value={form.caregiverHealth} data-path="caregiverHealth" onChange={(e) => update({ caregiverHealth: e.target.value })} />
    </>
  );
}

export function AgencyFields({ form, update, err }: HouseholdFieldsProps) {
  const offices = useApp((s) => s.offices);
  const saved = useApp((s) => s.households.get(form.id));
  const officeId = form.officeId ?? null;
  const people = useCaseWorkers(officeId);
  const officeOptions = [{ value: '', label: F.officeNone }, ...[...offices.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja')).map((o) => ({ value: o.id, label: o.name }))];
  // A name typed before 担当 was picked stays visible until someone is picked.
  const legacy = form.caseWorker !== '' && !people.some((p) => p.userId === form.caseWorkerUserId) ? [{ value: LEGACY, label: F.caseWorkerLegacy(form.caseWorker) }] : [];
  const personOptions = [{ value: '', label: F.officeNone }, ...legacy, ...people.map((p) => ({ value: p.userId, label: p.displayName }))];
  const moving = saved !== undefined && (saved.officeId ?? null) !== null && (saved.officeId ?? null) !== officeId;
  return (
    <>
      <SelectField
        label={F.registeringOffice}
        hint={F.officeHint}
        options={officeOptions}
        value={officeId ?? ''}
        data-path="officeId"
        onChange={(e) => update({ officeId: e.target.value || null, registeringOffice: offices.get(e.target.value)?.name ?? '' })}
      />
      {moving ? (
        <TextField label={F.moveReason} hint={F.moveReasonHint} required value={form.moveReason ?? ''} data-path="moveReason" error={err('moveReason')} onChange={(e) => update({ moveReason: e.target.value })} />
      ) : null}
      <div className="hh-grid2">
        <SelectField
          label={F.caseWorkerPick}
          hint={F.caseWorkerPickHint}
          options={personOptions}
          value={form.caseWorkerUserId ?? (legacy.length > 0 ? LEGACY : '')}
          data-path="caseWorkerUserId"
          onChange={(e) => {
            if (e.target.value === LEGACY) return;
            const picked = people.find((p) => p.userId === e.target.value);
            update({ caseWorkerUserId: picked?.userId ?? null, caseWorker: picked?.displayName ?? '' });
          }}
        />
        <TextField label={F.caseWorkerPhone} type="tel" value={form.caseWorkerPhone} data-path="caseWorkerPhone" error={err('caseWorkerPhone')} onChange={(e) => update({ caseWorkerPhone: e.target.value })} />
      </div>
      <h3 className="hh-person-title">{F.agencyList}</h3>
      <ListEditor items={form.agencies} onChange={(agencies) => update({ agencies })} blank={() => ({ name: '', role: '', contactPerson: '', phone: '' })} addLabel={F.addAgency} itemLabel={(i) => `${F.agencyList} ${i + 1}`}>
        {(a, i, set) => (
          <div className="hh-grid2">
            <TextField label={F.agencyName} value={a.name} data-path={`agencies.${i}.name`} onChange={(e) => set({ name: e.target.value })} />
            <TextField label={F.role} value={a.role} data-path={`agencies.${i}.role`} onChange={(e) => set({ role: e.target.value })} />
            <TextField label={F.contactPerson} value={a.contactPerson} data-path={`agencies.${i}.contactPerson`} onChange={(e) => set({ contactPerson: e.target.value })} />
            <TextField label={F.otherPhone} type="tel" value={a.phone} data-path={`agencies.${i}.phone`} error={err(`agencies.${i}.phone`)} onChange={(e) => set({ phone: e.target.value })} />
          </div>
        )}
      </ListEditor>
    </>
  );
}

export function ConsentFields({ form, update, err }: HouseholdFieldsProps) {
  const set = (patch: Partial<HouseholdForm['consent']>) => update({ consent: { ...form.consent, ...patch } });
  return (
    <>
      <p className="field__hint">{F.consentHelp}</p>
      <div className="hh-grid2">
        <TextField label={F.consentDate} type="date" value={form.consent.date} data-path="consent.date" error={err('consent.date')} onChange={(e) => set({ date: e.target.value })} />
        <TextField label={F.consentedBy} value={form.consent.consentedBy} data-path="consent.consentedBy" error={err('consent.consentedBy')} onChange={(e) => set({ consentedBy: e.target.value })} />
      </div>
      <TextArea label={F.consentScope} value={form.consent.scope} data-path="consent.scope" error={err('consent.scope')} onChange={(e) => set({ scope: e.target.value })} />
    </>
  );
}

export function ReviewFields({ form, update, err }: HouseholdFieldsProps) {
  return (
    <>
      <TextField label={F.lastReviewedOn} hint={F.lastReviewedHint} type="date" value={form.lastReviewedOn ?? ''} data-path="lastReviewedOn" error={err('lastReviewedOn')} onChange={(e) => update({ lastReviewedOn: e.target.value || null })} />
      <TextArea label={F.householdNote} value={form.note} data-path="note" onChange={(e) => update({ note: e.target.value })} />
    </>
  );
}
