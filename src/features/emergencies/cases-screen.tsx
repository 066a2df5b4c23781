/** 緊急対応: the list, starting a case, and one case (routes in route.ts). */
import { CaseList } from './case-list';
import { CaseStart } from './case-start';
import { CaseView } from './case-view';
import { parseCaseRoute, useHash } from './route';
import './emergencies.css';

export function CasesScreen() {
  const route = parseCaseRoute(useHash());
  switch (route.name) {
    case 'list':
      return <CaseList />;
    case 'new':
      return <CaseStart key={`${route.householdId}:${route.personId}`} householdId={route.householdId} personId={route.personId} />;
    case 'case':
      return <CaseView key={route.id} id={route.id} />;
  }
}
