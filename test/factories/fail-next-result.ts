/**
 * The storage refuses the next result entry once (the disk full, the tab killed between a 「いま」's
 * two writes): the store's appendCaseEntry throws for it, then writes as before.
 */
import { useApp } from '../../src/state/store';

export function failTheNextResult(): void {
  const real = useApp.getState().appendCaseEntry;
  let failOnce = true;
  useApp.setState({
    appendCaseEntry: (async (...args: Parameters<typeof real>) => {
      if (args[1].type === 'result' && failOnce) {
        failOnce = false;
        throw new Error('disk full');
      }
      return real(...args);
    }) as typeof real,
  });
}
