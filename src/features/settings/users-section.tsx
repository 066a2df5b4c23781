/** 職員: who can unlock this device, and the forms to add someone, remove someone else, or change one's own passphrase. */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { Notice, Section } from '../../ui/layout';
import type { VaultUser } from '../../vault/types';
import { AddUserForm, ChangePassphraseForm, RemoveUserForm } from './user-forms';
import { T } from './text';

type Open = { readonly form: 'none' | 'add' | 'change' } | { readonly form: 'remove'; readonly user: VaultUser };

export function UsersSection() {
  const users = useApp((s) => s.users);
  const me = useApp((s) => s.session?.user.id);
  const [open, setOpen] = useState<Open>({ form: 'none' });
  const [done, setDone] = useState<string | null>(null);

  const show = (which: Open) => {
    setOpen(which);
    setDone(null);
  };
  const finished = (message: string) => {
    setOpen({ form: 'none' });
    setDone(message);
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
            {u.id !== me && me !== undefined && open.form === 'none' ? (
              <Button aria-label={T.removeUserLabel(u.displayName)} onClick={() => show({ form: 'remove', user: u })}>
                {T.removeUser}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {open.form === 'add' ? (
        <AddUserForm onCancel={() => show({ form: 'none' })} onDone={(name) => finished(T.userAdded(name))} />
      ) : open.form === 'change' ? (
        <ChangePassphraseForm onCancel={() => show({ form: 'none' })} onDone={() => finished(T.passphraseChanged)} />
      ) : open.form === 'remove' ? (
        <RemoveUserForm user={open.user} onCancel={() => show({ form: 'none' })} onDone={(name) => finished(T.userRemoved(name))} />
      ) : (
        <div className="form-actions">
          <Button onClick={() => show({ form: 'add' })}>{T.addUser}</Button>
          <Button onClick={() => show({ form: 'change' })}>{T.changePassphrase}</Button>
        </div>
      )}
    </Section>
  );
}
