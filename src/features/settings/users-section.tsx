/** 利用者: who can unlock this device, and the forms to add someone or change one's own passphrase. */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { Notice, Section } from '../../ui/layout';
import { AddUserForm, ChangePassphraseForm } from './user-forms';
import { T } from './text';

type Open = 'none' | 'add' | 'change';

export function UsersSection() {
  const users = useApp((s) => s.users);
  const me = useApp((s) => s.session?.user.id);
  const [open, setOpen] = useState<Open>('none');
  const [done, setDone] = useState<string | null>(null);

  const show = (which: Open) => {
    setOpen(which);
    setDone(null);
  };

  return (
    <Section title={T.usersTitle} id="settings-users">
      <p className="muted">{T.usersIntro}</p>
      <ul className="plain-list">
        {users.map((u) => (
          <li key={u.id}>
            <strong>{u.displayName}</strong>
            {u.id === me ? <span> {T.you}</span> : null}
            <span className="log-entry__when">{T.registeredOn(formatJapanDateTime(u.createdAt).split(' ')[0] ?? '')}</span>
          </li>
        ))}
      </ul>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {open === 'add' ? (
        <AddUserForm
          onCancel={() => show('none')}
          onDone={(name) => {
            setOpen('none');
            setDone(T.userAdded(name));
          }}
        />
      ) : open === 'change' ? (
        <ChangePassphraseForm
          onCancel={() => show('none')}
          onDone={() => {
            setOpen('none');
            setDone(T.passphraseChanged);
          }}
        />
      ) : (
        <div className="form-actions">
          <Button onClick={() => show('add')}>{T.addUser}</Button>
          <Button onClick={() => show('change')}>{T.changePassphrase}</Button>
        </div>
      )}
    </Section>
  );
}
