import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestHubKey } from '../../../test/factories/receipts';
import { formatFingerprint } from '../../protocol/countersign';
import { countersignState, resetCountersignState } from '../../sync/countersign';
import { HubKeyLine } from './hub-key-line';
import { ST } from './sync-text';

afterEach(() => resetCountersignState());

describe('the hub key in the sync settings', () => {
  it('shows the fingerprint of the key taken at join, and warns when the hub sent receipts that do not verify with it', () => {
    render(<HubKeyLine />);
    expect(screen.getByText(ST.hubKeyNone)).toBeInTheDocument();
    const key = createTestHubKey();
    act(() => countersignState.setState({ joined: true, hubKey: key.info }));
    expect(screen.getByText(ST.hubKeyLine(formatFingerprint(key.info.fingerprint)))).toBeInTheDocument();
    expect(screen.queryByText(ST.receiptsRejected(1))).toBeNull();
    act(() => countersignState.setState({ rejected: 3 }));
    expect(screen.getByText(ST.receiptsRejected(3))).toBeInTheDocument();
  });
});
