/**
 * 「使い方」: each screen's page of the guide (docs/guide, served at /guide/ and precached with the
 * app). It opens in a new tab so the unlocked app, and what is typed in it, stays where it was.
 */
import { GUIDE_PAGES, guideUrl, type GuidePage } from '../guide/pages';
import { parseArea } from '../state/router';
import { T } from './text';

/** The guide page for the screen a hash names. */
export function guidePageFor(hash: string): GuidePage {
  const area = parseArea(hash);
  switch (area) {
    case 'facilities':
      return 'facilities';
    case 'claims':
    case 'bonus':
      return 'claims';
    case 'reports':
      return 'yearly';
    case 'settings':
      return 'handover';
    case 'match':
    case 'cases':
      return 'nightCall';
    case 'households':
      // the form (new or edit) is the day's registration; the list and a household are the night's
      return /^#\/households\/(new|reviews|[^/]+\/edit)(\/|$)/.test(hash) ? 'registration' : 'nightCall';
  }
}

export function HelpLink({ page, className }: { page: GuidePage; className: string }) {
  return (
    // Named 「使い方」 alone (the page it opens is its description), so that no other link's name is found inside it.
    <a className={className} href={guideUrl(page)} target="_blank" rel="noopener" title={T.helpTitle(GUIDE_PAGES[page].title)}>
      {T.help}
    </a>
  );
}
