/**
 * The page opened over plain http says how to open it instead. The hub's own port speaks plain
 * http (https is the reverse proxy's, docs/hub-server.md「TLS」), so an address with a port is
 * never turned into https on that port.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { InsecureScreen } from './insecure-screen';

describe('the insecure-context screen', () => {
  it('opened at the hub’s own port, sends the user to the administrator’s https address, not https on that port', () => {
    render(<InsecureScreen origin="http://192.168.1.10:8080" />);
    const main = screen.getByRole('main');
    expect(main).toHaveTextContent('管理者から知らされた拠点サーバーの https:// で始まるアドレスで開いてください');
    expect(main).toHaveTextContent('アドレスがわからないときは、管理者に尋ねてください。');
    expect(main).not.toHaveTextContent('https://192.168.1.10:8080');
    expect(main).toHaveTextContent('http://localhost:8080/');
  });

  it('opened with no port (a proxy on port 80), suggests the same address over https', () => {
    render(<InsecureScreen origin="http://hub.example.jp" />);
    const main = screen.getByRole('main');
    expect(main).toHaveTextContent('https://hub.example.jp/');
    expect(main).toHaveTextContent('http://localhost/');
  });
});
