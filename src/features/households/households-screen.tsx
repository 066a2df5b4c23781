/**
 * The households feature, mounted by the app shell while unlocked for '#/' and '#/households/…'.
 * Sub-routes: list, new, reviews (the worklist), detail, edit, print (use-route.ts).
 */
import { HouseholdDetail } from './household-detail';
import { HouseholdForm } from './household-form';
import { HouseholdList } from './household-list';
import { HouseholdPrint } from './household-print';
import { ReviewWorklist } from './review-worklist';
import { parseRoute, useHash } from './use-route';

export function HouseholdsScreen() {
  const route = parseRoute(useHash());
  switch (route.name) {
    case 'list':
      return <HouseholdList />;
    case 'reviews':
      return <ReviewWorklist />;
    case 'new':
      return <HouseholdForm key="new" id={null} />;
    case 'detail':
      return <HouseholdDetail key={route.id} id={route.id} />;
    case 'edit':
      return <HouseholdForm key={`edit:${route.id}`} id={route.id} />;
    case 'print':
      return <HouseholdPrint key={route.id} id={route.id} />;
  }
}
