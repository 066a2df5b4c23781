/**
 * The browser's Web Locks (navigator.locks), which jsdom lacks, for tests of forms open in two
 * tabs: every form rendered in the test is a tab of the same browser. Only `ifAvailable` requests:
 * a lock held is answered with null, as the browser does; waiting for one is not implemented.
 */
export interface FakeLocks {
  /** the names held now */
  readonly held: ReadonlySet<string>;
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: { name: string } | null) => T | Promise<T>): Promise<T>;
}

export function createFakeLocks(): FakeLocks {
  const held = new Set<string>();
  return {
    held,
    async request(name, options, callback) {
      // granted (or refused) later, never within the call, as in the browser
      await Promise.resolve();
      if (held.has(name)) {
        if (options.ifAvailable !== true) throw new Error('fake locks: only ifAvailable requests are implemented');
        return callback(null);
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

/** Puts fake locks on `navigator` until the returned function is called. */
export function installFakeLocks(): { locks: FakeLocks; uninstall: () => void } {
  const locks = createFakeLocks();
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  return {
    locks,
    uninstall: () => {
      delete (navigator as { locks?: unknown }).locks;
    },
  };
}
