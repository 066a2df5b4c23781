/** 保存領域: whether the browser may evict our data, how much we use, and the button to ask for protection. */
import { useState } from 'react';
import { Button } from '../../ui/button';
import { Notice, Section } from '../../ui/layout';
import { formatMegabytes, lowOnSpace, readStorageStatus, requestPersistence } from './platform';
import { LowSpaceNotice } from './home-screen-warning';
import { T } from './text';
import { useAsync } from './use-async';

export function StorageSection() {
  const status = useAsync(() => readStorageStatus(), 'storage');
  const [denied, setDenied] = useState(false);
  const [asking, setAsking] = useState(false);

  const protect = async () => {
    setAsking(true);
    const granted = await requestPersistence();
    setAsking(false);
    setDenied(granted === false);
    status.reload();
  };

  return (
    <Section title={T.storageTitle} id="settings-storage">
      {status.status === 'loading' ? <p className="muted">{T.loading}</p> : null}
      {status.status === 'done' ? (
        <>
          <dl className="kv">
            <dt>{T.protection}</dt>
            <dd>
              {status.value.persisted === null ? T.persistUnknown : status.value.persisted ? T.persisted : T.notPersisted}
            </dd>
            <dt>{T.usage}</dt>
            <dd>
              {status.value.usageBytes !== null && status.value.quotaBytes !== null
                ? T.usageValue(formatMegabytes(status.value.usageBytes), formatMegabytes(status.value.quotaBytes))
                : T.usageUnknown}
            </dd>
          </dl>
          {status.value.persisted === false ? (
            <Button variant="primary" className="btn--block" disabled={asking} onClick={() => void protect()}>
              {T.persistButton}
            </Button>
          ) : null}
          {denied ? <Notice kind="warn">{T.persistDenied}</Notice> : null}
          <LowSpaceNotice low={lowOnSpace(status.value)} />
        </>
      ) : null}
    </Section>
  );
}
