import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { refocusWhenLost } from './focus-lost';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

function add<K extends keyof HTMLElementTagNameMap>(tag: K, text: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = text;
  document.body.append(el);
  return el;
}

afterEach(() => document.body.replaceChildren());

describe('refocusWhenLost', () => {
  it('waits for the control to leave, then puts the focus on the target, which is no stop for Tab', async () => {
    const button = add('button', '受入可');
    const line = add('p', 'あおば荘');
    button.focus();
    refocusWhenLost(() => line);
    await frame();
    await frame();
    // the control is still there (the screen not yet drawn again): nothing moves
    expect(button).toHaveFocus();
    button.remove();
    await waitFor(() => expect(line).toHaveFocus());
    expect(line).toHaveAttribute('tabindex', '-1');
  });

  it('leaves the focus where the user put it meanwhile', async () => {
    const button = add('button', '受入可');
    const top = add('button', '先頭');
    const line = add('p', 'あおば荘');
    button.focus();
    refocusWhenLost(() => line);
    top.focus();
    button.remove();
    await frame();
    await frame();
    expect(top).toHaveFocus();
    expect(line).not.toHaveAttribute('tabindex');
  });
});
