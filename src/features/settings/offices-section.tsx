/**
 * 事業所: the 相談支援事業所 that handle emergencies from this device, with the day each was
 * positioned as a hub in its 運営規程 (the 相談強化加算 needs it; seeds/004 §24). Stored in the
 * vault and the change log like the other records.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import type { Office } from '../../domain/emergency-case';
import { formatJapanDate, isValidIsoDate } from '../../domain/japan-time';
import { normalizeDigits } from '../../domain/normalize';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';
import { Notice, Section } from '../../ui/layout';

const OT = {
  title: '事業所（相談強化加算）',
  intro: '緊急対応を記録する相談支援事業所です。地域生活支援拠点等として運営規程に位置付けた日を登録すると、その日以降の対応が相談強化加算の対象になります。',
  none: 'まだ事業所が登録されていません。',
  add: '事業所を追加',
  edit: '編集',
  name: '事業所名',
  number: '事業所番号（10桁）',
  hubSince: '拠点として位置付けた日',
  hubSinceHint: '運営規程に地域生活支援拠点等として位置付けた日。未定の場合は空欄（加算は算定されません）。',
  notHub: '拠点の位置付けなし',
  hubLine: (d: string) => `${d}から拠点`,
  save: '保存',
  cancel: 'キャンセル',
  saved: (name: string) => `${name} を保存しました。`,
  errName: '事業所名を入力してください。',
  errNumber: '事業所番号は10桁の数字です。',
  errDate: '日付を正しく入力してください。',
} as const;

interface OfficeForm {
  readonly id: string | null;
  readonly name: string;
  readonly officeNumber: string;
  readonly hubSince: string;
}

type Errors = Partial<Record<'name' | 'officeNumber' | 'hubSince', string>>;

export function validateOffice(form: OfficeForm): Errors {
  const errors: Errors = {};
  if (form.name.trim() === '') errors.name = OT.errName;
  if (!/^\d{10}$/.test(normalizeDigits(form.officeNumber))) errors.officeNumber = OT.errNumber;
  if (form.hubSince !== '' && !isValidIsoDate(form.hubSince)) errors.hubSince = OT.errDate;
  return errors;
}

export function OfficesSection() {
  const offices = useApp((s) => s.offices);
  const saveOffice = useApp((s) => s.saveOffice);
  const list = useMemo(() => [...offices.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja')), [offices]);
  const [form, setForm] = useState<OfficeForm | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = (o: Office | null) => {
    setDone(null);
    setErrors({});
    setForm(o ? { id: o.id, name: o.name, officeNumber: o.officeNumber, hubSince: o.hubSince ?? '' } : { id: null, name: '', officeNumber: '', hubSince: '' });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const found = validateOffice(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const now = new Date().toISOString();
    const existing = form.id ? offices.get(form.id) : undefined;
    const office: Office = {
      id: existing?.id ?? globalThis.crypto.randomUUID(),
      name: form.name.trim(),
      officeNumber: normalizeDigits(form.officeNumber),
      hubSince: form.hubSince === '' ? null : form.hubSince,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    setBusy(true);
    try {
      await saveOffice(office, existing ? 'update' : 'create');
      setForm(null);
      setDone(OT.saved(office.name));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={OT.title} id="settings-offices">
      <p className="muted">{OT.intro}</p>
      {list.length === 0 ? <p>{OT.none}</p> : null}
      <ul className="plain-list">
        {list.map((o) => (
          <li key={o.id}>
            <strong>{o.name}</strong> <span>{o.officeNumber}</span>
            <span className="log-entry__when">{o.hubSince ? OT.hubLine(formatJapanDate(o.hubSince)) : OT.notHub}</span>
            <Button variant="ghost" onClick={() => open(o)} aria-label={`${o.name}を${OT.edit}`}>
              {OT.edit}
            </Button>
          </li>
        ))}
      </ul>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {form ? (
        <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
          <TextField label={OT.name} required value={form.name} error={errors.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <TextField
            label={OT.number}
            required
            inputMode="numeric"
            value={form.officeNumber}
            error={errors.officeNumber}
            onChange={(e) => setForm({ ...form, officeNumber: e.target.value })}
          />
          <TextField
            label={OT.hubSince}
            hint={OT.hubSinceHint}
            type="date"
            value={form.hubSince}
            error={errors.hubSince}
            onChange={(e) => setForm({ ...form, hubSince: e.target.value })}
          />
          <div className="form-actions">
            <Button onClick={() => setForm(null)}>{OT.cancel}</Button>
            <Button type="submit" variant="primary" disabled={busy}>
              {OT.save}
            </Button>
          </div>
        </form>
      ) : (
        <Button onClick={() => open(null)}>{OT.add}</Button>
      )}
    </Section>
  );
}
