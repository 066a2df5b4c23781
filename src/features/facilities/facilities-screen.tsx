/**
 * The facilities feature (短期入所事業所), for '#/facilities' and '#/facilities/…'.
 * Sub-routes: list, new, import, detail, edit, vacancy (use-route.ts).
 */
import './facilities.css';
import { FacilityDetail } from './facility-detail';
import { FacilityForm } from './facility-form';
import { FacilityImport } from './facility-import';
import { FacilityList } from './facility-list';
import { parseRoute, useHash } from './use-route';
import { VacancyReport } from './vacancy-report';

export function FacilitiesScreen() {
  const route = parseRoute(useHash());
  switch (route.name) {
    case 'list':
      return <FacilityList />;
    case 'new':
      return <FacilityForm key="new" id={null} />;
    case 'import':
      return <FacilityImport />;
    case 'detail':
      return <FacilityDetail key={route.id} id={route.id} />;
    case 'edit':
      return <FacilityForm key={`edit:${route.id}`} id={route.id} />;
    case 'vacancy':
      return <VacancyReport key={`vacancy:${route.id}`} id={route.id} />;
  }
}
