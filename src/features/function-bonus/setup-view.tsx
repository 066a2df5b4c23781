/**
 * What the manager keeps: the 地域区分 unit price, the coordinators (office, from/to, 常勤・専従) and
 * the split tables (offices and municipalities, each adding up to 100%). Each form is checked whole by
 * its schema (domain function-bonus-schema.ts) and saved as one record, or not at all.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useApp } from '../../state/store';
import { placementStanding, replacedTables, type BonusCoordinator, type BonusSplit } from '../../domain/function-bonus';
import { coordinatorSchema, splitSchema, unitPriceSchema, validateWith } from '../../domain/function-bonus-schema';
import { normalizeName } from '../../domain/normalize';
import type { FunctionBonusKind } from '../../protocol/constants';
import type { BonusRecordOf } from '../../state/store';
import { Button } from '../../ui/button';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { B } from './text';
import { useCanEdit, useOfficeName, useOneSave } from './use-bonus';
import { toVaultError } from '../../vault/errors';

type Errors = Readonly<Record<string, string>>;
const newId = (prefix: string) => `${prefix}-${globalThis.crypto.randomUUID()}`;
const byFrom = <T extends { validFrom: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1));

/** Validates, then saves one record; the messages per field, or a save failure, come back to the form. */
function useSave() {
  const saveBonusRecord = useApp((s) => s.saveBonusRecord);
  const clearError = useApp((s) => s.clearError);
  return async <K extends FunctionBonusKind>(kind: K, result: ReturnType<typeof validateWith<BonusRecordOf[K]>>, isNew: boolean): Promise<Errors | null> => {
    if (!result.ok) return Object.fromEntries(result.errors.map((e) => [e.path, e.message]));
    try {
      await saveBonusRecord(kind, result.value, isNew ? 'create' : 'update');
      return null;
    } catch (e) {
      clearError();
      return { '': B.saveFailedWhy(toVaultError(e).message) };
    }
  };
}

export function SetupView() {
  const canEdit = useCanEdit();
  return (
    <>
      {canEdit ? null : <Notice>{B.readOnly}</Notice>}
      <PriceSection canEdit={canEdit} />
      <CoordinatorsSection canEdit={canEdit} />
      <SplitSection canEdit={canEdit} />
    </>
  );
}

function Saved({ errors, done }: { errors: Errors; done: boolean }) {
  if (errors['']) return <Notice kind="error">{errors['']}</Notice>;
  return done ? <Notice kind="ok">{B.savedSetup}</Notice> : null;
}

function PriceSection({ canEdit }: { canEdit: boolean }) {
  const prices = useApp((s) => s.bonus.prices);
  const replacedPrices = useMemo(() => replacedTables(prices), [prices]);
  const save = useSave();
  const [form, setForm] = useState({ validFrom: '', yenPerUnit: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState(false);
  const { busy, run } = useOneSave();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  async function submit() {
    const now = new Date().toISOString();
    const result = validateWith(unitPriceSchema, { id: newId('price'), ...form, createdAt: now, updatedAt: now });
    const problems = await save('bonus-price', result, true);
    setErrors(problems ?? {});
    if (problems !== null) failed();
    setDone(problems === null);
    if (problems === null) setForm({ validFrom: '', yenPerUnit: '' });
  }
  return (
    <Section title={B.priceTitle} id="bonus-price">
      <p>{B.priceIntro}</p>
      <List items={byFrom(prices).map((p) => ({ key: p.id, text: B.priceLine(B.monthLabel(p.validFrom), p.yenPerUnit) + (replacedPrices.has(p.id) ? B.replaced : '') }))} />
      {canEdit ? (
        <div ref={ref} className="bonus-form">
          <TextField label={B.validFrom} type="month" value={form.validFrom} error={errors['validFrom']} onChange={(e) => setForm({ ...form, validFrom: e.target.value })} />
          <TextField label={B.yenPerUnit} inputMode="decimal" value={form.yenPerUnit} error={errors['yenPerUnit']} onChange={(e) => setForm({ ...form, yenPerUnit: e.target.value })} />
          <Button variant="primary" disabled={busy} onClick={() => void run(submit)}>
            {B.add}
          </Button>
          <Saved errors={errors} done={done} />
        </div>
      ) : null}
    </Section>
  );
}

const blankCoordinator = { id: '', name: '', officeId: '', fromMonth: '', toMonth: '', fullTime: '', dedicated: '' };
/** A mark as the form's select holds it: '' when not stated (a record from before the app asked). */
const choice = (mark: boolean | null | undefined) => (mark === true ? 'yes' : mark === false ? 'no' : '');

function CoordinatorsSection({ canEdit }: { canEdit: boolean }) {
  const coordinators = useApp((s) => s.bonus.coordinators);
  const offices = useApp((s) => s.offices);
  const officeName = useOfficeName();
  const save = useSave();
  const [form, setForm] = useState(blankCoordinator);
  const [editing, setEditing] = useState<BonusCoordinator | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState(false);
  const { busy, run } = useOneSave();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  async function submit() {
    const now = new Date().toISOString();
    const input = { ...form, id: editing?.id ?? newId('coord'), createdAt: editing?.createdAt ?? now, updatedAt: now };
    const result = validateWith(coordinatorSchema(new Set(offices.keys())), input);
    // The record as held under the form's fields: a field a newer app wrote survives this one's save.
    const problems = await save('bonus-coordinator', result.ok && editing !== null ? { ok: true, value: { ...editing, ...result.value } } : result, editing === null);
    setErrors(problems ?? {});
    if (problems !== null) failed();
    setDone(problems === null);
    if (problems === null) {
      setForm(blankCoordinator);
      setEditing(null);
    }
  }
  const officeOptions = [{ value: '', label: '—' }, ...[...offices.values()].map((o) => ({ value: o.id, label: o.name }))];
  // people, not placements: one person moved between offices is one to ask about
  const notStated = new Set(coordinators.filter((c) => placementStanding(c) === 'not-stated').map((c) => normalizeName(c.name))).size;
  return (
    <Section title={B.coordinatorsTitle} id="bonus-coordinators">
      <p>{B.coordinatorsIntro}</p>
      {notStated > 0 ? <Notice kind="warn">{B.notStatedSetup(notStated, canEdit)}</Notice> : null}
      <List
        items={[...coordinators]
          .sort((a, b) => (a.fromMonth < b.fromMonth ? -1 : 1))
          .map((c) => ({
            key: c.id,
            text: B.coordinatorLine(c.name, officeName(c.officeId), B.monthLabel(c.fromMonth), c.toMonth && B.monthLabel(c.toMonth), B.standing(c)),
            action: canEdit ? (
              <Button
                onClick={() => {
                  setEditing(c);
                  setForm({ id: c.id, name: c.name, officeId: c.officeId, fromMonth: c.fromMonth, toMonth: c.toMonth ?? '', fullTime: choice(c.fullTime), dedicated: choice(c.dedicated) });
                  setErrors({});
                }}
              >
                {B.edit}
              </Button>
            ) : null,
          }))}
      />
      {canEdit ? (
        <div ref={ref} className="bonus-form">
          <TextField label={B.coordinatorName} value={form.name} error={errors['name']} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <SelectField label={B.coordinatorOffice} value={form.officeId} error={errors['officeId']} options={officeOptions} onChange={(e) => setForm({ ...form, officeId: e.target.value })} />
          <TextField label={B.fromMonth} type="month" value={form.fromMonth} error={errors['fromMonth']} onChange={(e) => setForm({ ...form, fromMonth: e.target.value })} />
          <TextField label={B.toMonth} type="month" value={form.toMonth} error={errors['toMonth']} onChange={(e) => setForm({ ...form, toMonth: e.target.value })} />
          <SelectField label={B.fullTime} value={form.fullTime} error={errors['fullTime']} options={B.fullTimeOptions} onChange={(e) => setForm({ ...form, fullTime: e.target.value })} />
          <SelectField
            label={B.dedicated}
            hint={B.dedicatedHint}
            value={form.dedicated}
            error={errors['dedicated']}
            options={B.dedicatedOptions}
            onChange={(e) => setForm({ ...form, dedicated: e.target.value })}
          />
          <div className="bonus-actions">
            <Button variant="primary" disabled={busy} onClick={() => void run(submit)}>
              {editing ? B.update : B.add}
            </Button>
            {editing ? (
              <Button
                onClick={() => {
                  setEditing(null);
                  setForm(blankCoordinator);
                  setErrors({});
                }}
              >
                {B.cancelEdit}
              </Button>
            ) : null}
          </div>
          <Saved errors={errors} done={done} />
        </div>
      ) : null}
    </Section>
  );
}

interface SplitForm {
  readonly validFrom: string;
  readonly offices: readonly { officeId: string; percent: string }[];
  readonly municipalities: readonly { name: string; percent: string }[];
  readonly note: string;
}
const blankSplit: SplitForm = { validFrom: '', offices: [{ officeId: '', percent: '' }], municipalities: [], note: '' };
const typedSum = (rows: readonly { percent: string }[]) => rows.reduce((a, r) => a + (Number(r.percent.normalize('NFKC')) || 0), 0);
const replace = <T,>(list: readonly T[], i: number, item: T) => list.map((x, n) => (n === i ? item : x));

function SplitSection({ canEdit }: { canEdit: boolean }) {
  const splits = useApp((s) => s.bonus.splits);
  const replacedSplits = useMemo(() => replacedTables(splits), [splits]);
  const offices = useApp((s) => s.offices);
  const officeName = useOfficeName();
  const save = useSave();
  const [form, setForm] = useState<SplitForm>(blankSplit);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState(false);
  const { busy, run } = useOneSave();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  async function submit() {
    const now = new Date().toISOString();
    const result = validateWith(splitSchema(new Set(offices.keys()), officeName), { id: newId('split'), ...form, createdAt: now, updatedAt: now });
    const problems = await save('bonus-split', result, true);
    setErrors(problems ?? {});
    if (problems !== null) failed();
    setDone(problems === null);
    if (problems === null) setForm(blankSplit);
  }
  const describe = (s: BonusSplit) =>
    [s.offices.map((o) => `${officeName(o.officeId)} ${o.percent}%`).join('・'), s.municipalities.map((m) => `${m.name} ${m.percent}%`).join('・'), s.note]
      .filter(Boolean)
      .join('　／　');
  const officeOptions = [{ value: '', label: '—' }, ...[...offices.values()].map((o) => ({ value: o.id, label: o.name }))];
  return (
    <Section title={B.splitTitle} id="bonus-split">
      <p>{B.splitIntro}</p>
      <List items={byFrom(splits).map((s) => ({ key: s.id, text: `${B.splitLine(B.monthLabel(s.validFrom))}　${describe(s)}${replacedSplits.has(s.id) ? B.replaced : ''}` }))} />
      {canEdit ? (
        <div ref={ref} className="bonus-form">
          <TextField label={B.validFrom} type="month" value={form.validFrom} error={errors['validFrom']} onChange={(e) => setForm({ ...form, validFrom: e.target.value })} />
          <fieldset className="bonus-rows">
            <legend>{B.officeShares}</legend>
            {form.offices.map((row, i) => (
              <div key={i} className="bonus-row">
                <SelectField label={`${B.office} ${i + 1}`} value={row.officeId} error={errors[`offices.${i}.officeId`]} options={officeOptions} onChange={(e) => setForm({ ...form, offices: replace(form.offices, i, { ...row, officeId: e.target.value }) })} />
                <TextField label={`${B.percent} ${i + 1}`} inputMode="decimal" value={row.percent} error={errors[`offices.${i}.percent`]} onChange={(e) => setForm({ ...form, offices: replace(form.offices, i, { ...row, percent: e.target.value }) })} />
                <Button onClick={() => setForm({ ...form, offices: form.offices.filter((_, n) => n !== i) })}>{B.remove}</Button>
              </div>
            ))}
            <p aria-live="polite">{B.sum(B.officeShares, typedSum(form.offices))}</p>
            {errors['offices'] ? <Notice kind="error">{errors['offices']}</Notice> : null}
            <Button onClick={() => setForm({ ...form, offices: [...form.offices, { officeId: '', percent: '' }] })}>{B.addOffice}</Button>
          </fieldset>
          <fieldset className="bonus-rows">
            <legend>{B.municipalityShares}</legend>
            {form.municipalities.map((row, i) => (
              <div key={i} className="bonus-row">
                <TextField label={`${B.municipality} ${i + 1}`} value={row.name} error={errors[`municipalities.${i}.name`]} onChange={(e) => setForm({ ...form, municipalities: replace(form.municipalities, i, { ...row, name: e.target.value }) })} />
                <TextField label={`${B.municipality}${B.percent} ${i + 1}`} inputMode="decimal" value={row.percent} error={errors[`municipalities.${i}.percent`]} onChange={(e) => setForm({ ...form, municipalities: replace(form.municipalities, i, { ...row, percent: e.target.value }) })} />
                <Button onClick={() => setForm({ ...form, municipalities: form.municipalities.filter((_, n) => n !== i) })}>{B.remove}</Button>
              </div>
            ))}
            {form.municipalities.length > 0 ? <p aria-live="polite">{B.sum(B.municipalityShares, typedSum(form.municipalities))}</p> : null}
            {errors['municipalities'] ? <Notice kind="error">{errors['municipalities']}</Notice> : null}
            <Button onClick={() => setForm({ ...form, municipalities: [...form.municipalities, { name: '', percent: '' }] })}>{B.addMunicipality}</Button>
          </fieldset>
          <TextArea label={B.note} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
          <Button variant="primary" disabled={busy} onClick={() => void run(submit)}>
            {B.add}
          </Button>
          <Saved errors={errors} done={done} />
        </div>
      ) : null}
    </Section>
  );
}

function List({ items }: { items: readonly { key: string; text: string; action?: ReactNode }[] }) {
  if (items.length === 0) return <p className="bonus-none">{B.none}</p>;
  return (
    <ul className="bonus-list">
      {items.map((i) => (
        <li key={i.key}>
          <span>{i.text}</span>
          {i.action}
        </li>
      ))}
    </ul>
  );
}
