/**
 * The bars' heights published for the sticky parts, and the bars let go when they would cover too
 * much of the screen. jsdom draws nothing: each part's drawn height is set by the test, and a
 * ResizeObserver stand-in reports them as the browser would. The e2e (screen-room.test.ts) checks
 * what a user sees at 180 × 370, 740 × 300 and with the text at 200 %.
 */
import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useBarHeights } from './bar-heights';

/** The observers made, each with what it watches: report() is the browser drawing them again. */
const observers = new Set<{ watched: Set<Element>; report: () => void }>();

class FakeResizeObserver {
  readonly watched = new Set<Element>();
  constructor(private readonly callback: ResizeObserverCallback) {
    observers.add(this);
  }
  report() {
    if (this.watched.size > 0) this.callback([], this as unknown as ResizeObserver);
  }
  observe(el: Element) {
    this.watched.add(el);
    this.report(); // as a browser does for an element newly observed
  }
  unobserve(el: Element) {
    this.watched.delete(el);
  }
  disconnect() {
    this.watched.clear();
    observers.delete(this);
  }
}

function drawn(el: Element, height: number) {
  el.getBoundingClientRect = () => ({ height, width: 360, top: 0, left: 0, right: 360, bottom: height, x: 0, y: 0, toJSON: () => ({}) });
  for (const o of observers) if (o.watched.has(el)) o.report();
}

function screenHeight(height: number) {
  Object.defineProperty(window, 'innerHeight', { configurable: true, value: height });
  window.dispatchEvent(new Event('resize'));
}

/** The shell as app-shell.tsx draws it: the bar, the main area holding the page, the nav. */
function shell() {
  const root = document.createElement('div');
  root.className = 'shell';
  root.innerHTML = '<header class="app-bar"></header><main id="main"></main><nav class="bottom-nav"></nav>';
  document.body.append(root);
  const [bar, main, nav] = [root.querySelector('header')!, root.querySelector('main')!, root.querySelector('nav')!];
  drawn(bar, 57);
  drawn(nav, 58);
  const hook = renderHook(() => useBarHeights({ current: bar }, { current: nav }));
  return { bar, main, nav, unmount: hook.unmount };
}

/** A page opened: its header drawn this tall. */
async function page(main: HTMLElement, headerHeight: number) {
  const section = document.createElement('section');
  section.innerHTML = '<header class="page__header"><h1 class="page__title">緊急対応を開始</h1></header>';
  drawn(section.firstElementChild!, headerHeight);
  main.replaceChildren(section);
  await Promise.resolve(); // the MutationObserver's turn
  return section.firstElementChild!;
}

const root = document.documentElement;
const variable = (name: string) => root.style.getPropertyValue(name);

beforeEach(() => {
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  screenHeight(740);
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('useBarHeights', () => {
  it("publishes the page header's drawn height, following it from page to page", async () => {
    const { main, unmount } = shell();
    expect(variable('--appbar-h')).toBe('57px');
    expect(variable('--bottom-nav-height')).toBe('58px');
    const header = await page(main, 65);
    expect(variable('--page-header-h')).toBe('65px');
    // the phone's text made larger: the header wraps to two lines
    drawn(header, 132);
    expect(variable('--page-header-h')).toBe('132px');
    // another screen, with a title alone
    await page(main, 47);
    expect(variable('--page-header-h')).toBe('47px');
    // a screen still loading draws no header
    main.replaceChildren();
    await Promise.resolve();
    expect(variable('--page-header-h')).toBe('0px');
    unmount();
    expect(variable('--page-header-h')).toBe('');
  });

  it('lets the bars scroll with the page when they would take more than 40 % of the screen, and pins them again when there is room', async () => {
    const { bar, main, unmount } = shell();
    const header = await page(main, 65);
    // 57 + 65 + 58 of a 360 × 740 phone: a quarter
    expect(root.dataset.bars).toBeUndefined();
    // on its side with the address bar shown (740 × 300): 60 %
    screenHeight(300);
    expect(root.dataset.bars).toBe('loose');
    screenHeight(740);
    expect(root.dataset.bars).toBeUndefined();
    // the text at 200 %: the bar and the header grow (176 + 132 + 58 of 740)
    drawn(bar, 176);
    drawn(header, 132);
    expect(root.dataset.bars).toBe('loose');
    drawn(bar, 57);
    drawn(header, 65);
    expect(root.dataset.bars).toBeUndefined();
    screenHeight(300);
    unmount();
    expect(root.dataset.bars).toBeUndefined();
  });
});
