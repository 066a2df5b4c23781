/**
 * The unlocked app: a slim bar with the lock button, the current area, the bottom nav within thumb
 * reach. Screens other than the lock screen are loaded lazily: unlocking must not wait for them.
 */
import { Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState, type ComponentType } from 'react';
import { HomeScreenBanner, StorageProtectionBanner, StorageSpaceBanner } from '../features/settings/home-screen-warning';
import { SyncStatusLine } from '../features/settings/sync-status-line';
import { Button } from '../ui/button';
import { Busy } from '../ui/status';
import { guidePageFor, HelpLink } from './help-link';
import { useIdleLock, type IdleLockCause } from './idle-lock';
import { appPaths, parseArea, placeOf, useHash, type AppArea } from '../state/router';
import { ScreenBoundary } from './error-boundary';
import { restorePlace, restoreScroll, trackPlace } from './place';
import { DraftFailingBanner, StorageErrorBanner, UnreadableBanner } from './storage-error';
import { rememberLiaison, useLinkSaysLiaison, wasLiaison } from '../state/liaison-hint';
import { useApp } from '../state/store';
import { T } from './text';
import { UpdatePrompt } from './update-prompt';
import { useSync } from './use-sync';
import { useBarHeights } from './bar-heights';
import { bonusScreen, casesScreen, claimsScreen, facilitiesScreen, householdsScreen, matchScreen, reportsScreen, settingsScreen } from './screens';

const SCREENS: Readonly<Record<AppArea, ComponentType>> = {
  households: householdsScreen.Screen,
  facilities: facilitiesScreen.Screen,
  match: matchScreen.Screen,
  cases: casesScreen.Screen,
  claims: claimsScreen.Screen,
  bonus: bonusScreen.Screen,
  reports: reportsScreen.Screen,
  settings: settingsScreen.Screen,
};

const AREA_TITLES: Readonly<Record<AppArea, string>> = {
  households: T.navHouseholds,
  facilities: T.navFacilities,
  match: T.areaMatch,
  cases: T.navCases,
  claims: T.areaClaims,
  bonus: T.areaBonus,
  reports: T.navReports,
  settings: T.navSettings,
};

const NAV: readonly { area: AppArea; label: string }[] = [
  { area: 'households', label: T.navHouseholds },
  { area: 'cases', label: T.navCases },
  { area: 'facilities', label: T.navFacilities },
  { area: 'reports', label: T.navReports },
  { area: 'settings', label: T.navSettings },
];

/**
 * A facility's liaison (SCENARIOS.md 5) holds no household and opens no case: the hub refuses those
 * writes. Their phone shows the facilities and the settings, and opens on the facilities, not on an
 * empty household list offering 「世帯を登録」 and the demo, whose changes the hub then refused.
 */
const LIAISON_AREAS: ReadonlySet<AppArea> = new Set(['facilities', 'settings']);

/**
 * Ctrl+S (⌘S), pressed from an office habit, saved the screen as a web page: a household's 医ケア,
 * medication and contacts' numbers in the Downloads folder, unencrypted and in no 閲覧記録, past
 * the print refusal (docs/security.md). Refused here; a form is saved with its own 「保存」.
 */
function useKeepPagesOffDisk(): void {
  useEffect(() => {
    const refuse = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') e.preventDefault();
    };
    window.addEventListener('keydown', refuse);
    return () => window.removeEventListener('keydown', refuse);
  }, []);
}

/**
 * Closing the tab or reloading with text typed and not saved asks first: the forms keep a draft,
 * but not every one does (設定's 事業所), and a draft is written half a second after the last key.
 */
function useAskBeforeLeavingUnsaved(): void {
  useEffect(() => {
    const ask = (e: BeforeUnloadEvent) => {
      if (useApp.getState().unsaved.size === 0) return;
      e.preventDefault();
      // older Chrome and Edge ask only when returnValue is set
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, []);
}

export function AppShell({ onReconnect }: { onReconnect: () => Promise<void> }) {
  const userId = useApp((s) => s.session?.user.id ?? '');
  // Before the first render reads the route: the same person returns to their place, anyone else to the list.
  const [scroll] = useState(() => restorePlace(userId));
  useEffect(() => trackPlace(), []);
  // …and to the same part of the screen (an hour's 聞き取り票 locked halfway down), once it is drawn.
  useEffect(() => restoreScroll(scroll), [scroll]);
  const hash = useHash();
  // What the hub link says once the sync engine has read it; until then, what it said at the last unlock.
  const linkSays = useLinkSaysLiaison();
  const [wasBefore] = useState(() => wasLiaison(userId));
  const liaison = linkSays ?? wasBefore;
  useEffect(() => {
    if (linkSays !== null && userId) rememberLiaison(userId, linkSays);
  }, [userId, linkSays]);
  const asked = parseArea(hash);
  // a liaison never sees another area's screen, not even for the render before the redirect
  const area = liaison && !LIAISON_AREAS.has(asked) ? 'facilities' : asked;
  /** where the phone opens, and where the warnings about the phone's storage are shown */
  const home: AppArea = liaison ? 'facilities' : 'households';
  // The address moves once the hub link has said so: a hint gone stale (a liaison made coordinator
  // since) draws the facilities for a moment, but leaves the place the unlock came back to.
  useEffect(() => {
    if (linkSays === true && !LIAISON_AREAS.has(asked)) window.location.replace(appPaths.facilities);
  }, [linkSays, asked]);
  const place = placeOf(hash);
  const Screen = SCREENS[area];
  const userName = useApp((s) => s.session?.user.displayName ?? '');
  const idleLockMinutes = useApp((s) => s.settings.idleLockMinutes);
  const lock = useApp((s) => s.lock);

  useSync();
  useIdleLock(
    idleLockMinutes,
    useCallback((cause: IdleLockCause) => void lock(cause), [lock]),
  );

  useKeepPagesOffDisk();
  useAskBeforeLeavingUnsaved();

  // Each area its own title, for a screen reader's user who moved (never a person's name: titles go
  // into the browser's history).
  useEffect(() => {
    document.title = `${AREA_TITLES[area]}｜${T.appName}`;
  }, [area]);

  // Every screen opens at its top: a household opened from far down the list, the case after
  // 記録を開始, the facility after 保存. (A query change, e.g. the claims month, is the same place.)
  useLayoutEffect(() => {
    if (window.scrollY > 0) window.scrollTo(0, 0);
  }, [place]);

  // The route stays: the same person unlocking returns to it, anyone else starts from the list (place.ts).
  const lockNow = () => lock('manual');
  const bar = useRef<HTMLElement>(null);
  const nav = useRef<HTMLElement>(null);
  useBarHeights(bar, nav);

  return (
    <div className="shell">
      <header className="app-bar" ref={bar}>
        <p className="app-bar__name">
          {T.appName}
          {/* the words 「職員：」 for screen readers only: at 360 px they took four of the name's six
              characters, and 佐藤 花子 and 佐藤 太郎 both read 「職員：佐藤…」 at the handover */}
          {userName ? (
            <span className="app-bar__user">
              <span className="visually-hidden">{T.signedInAsLabel}</span>
              {userName}
            </span>
          ) : null}
        </p>
        <SyncStatusLine />
        <HelpLink page={guidePageFor(hash)} className="help-link" />
        <Button variant="secondary" onClick={() => void lockNow()}>
          {T.lock}
        </Button>
      </header>
      <main id="main">
        {/* printed instead of a screen that is not for paper (styles.css): the browser's own print writes no 閲覧記録 */}
        <p className="print-refusal">{T.printRefused}</p>
        <div className="banner-region">
          <UpdatePrompt />
          <StorageErrorBanner onReconnect={onReconnect} />
          <DraftFailingBanner />
          <UnreadableBanner />
          {area === home ? <HomeScreenBanner /> : null}
          {/* mounted once per unlock, whatever the screen: each unlock asks the browser again */}
          <StorageProtectionBanner show={area === home} />
          <StorageSpaceBanner show={area === home} />
        </div>
        <ScreenBoundary route={hash}>
          <Suspense fallback={<div className="splash"><Busy>{T.loadingScreen}</Busy></div>}>
            <Screen />
          </Suspense>
        </ScreenBoundary>
      </main>
      <nav className="bottom-nav" aria-label={T.navLabel} ref={nav}>
        <ul className="bottom-nav__list">
          {NAV.filter((item) => !liaison || LIAISON_AREAS.has(item.area)).map((item) => (
            <li key={item.area} className="bottom-nav__item">
              <a className="bottom-nav__link" href={appPaths[item.area]} aria-current={item.area === area ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
