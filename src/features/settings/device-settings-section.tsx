/** 自動ロックまでの時間 and 聞き取り票の見直し間隔: non-personal settings stored in clear on the device. */
import { useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import { vaultErrorMessage, toVaultError } from '../../vault/errors';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { parseSettingsInput, settingsToInput, type SettingsErrors, type SettingsInput } from './settings-form';
import { T } from './text';

export function DeviceSettingsSection() {
  const settings = useApp((s) => s.settings);
  const updateSettings = useApp((s) => s.updateSettings);
  const [input, setInput] = useState<SettingsInput>(() => settingsToInput(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const change = (key: keyof SettingsInput, value: string) => {
    setInput((prev) => ({ ...prev, [key]: value }));
    setResult(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSettingsInput(input);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      failed();
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await updateSettings(parsed.value);
      setInput(settingsToInput(parsed.value));
      setResult({ kind: 'ok', text: T.saved });
    } catch (err) {
      setResult({ kind: 'error', text: vaultErrorMessage(toVaultError(err).code) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title={T.deviceTitle} id="settings-device">
      <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)}>
        <TextField
          label={T.idleLockLabel}
          inputMode="numeric"
          autoComplete="off"
          value={input.idleLockMinutes}
          hint={T.idleLockHint}
          error={errors.idleLockMinutes}
          onChange={(e) => change('idleLockMinutes', e.target.value)}
        />
        <TextField
          label={T.reviewLabel}
          inputMode="numeric"
          autoComplete="off"
          value={input.reviewAfterMonths}
          hint={T.reviewHint}
          error={errors.reviewAfterMonths}
          onChange={(e) => change('reviewAfterMonths', e.target.value)}
        />
        {result ? <Notice kind={result.kind}>{result.text}</Notice> : null}
        <Button type="submit" variant="primary" className="btn--block" disabled={saving}>
          {T.saveSettings}
        </Button>
      </form>
    </Section>
  );
}
