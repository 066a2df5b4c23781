/**
 * The facilities feature (短期入所事業所), for '#/facilities' and '#/facilities/…'.
 * Sub-routes: list, new, import, detail, edit, vacancy (use-route.ts).
 */
import './facilities.css';
import { FacilityDetail } from './facility-detail';
import { FacilityForm } from './facility-form';
import { FacilityImport } from './facility-import';
import { FacilityList } from './facility-list';
import { parseRoute, paths, useHash } from './use-route';
import { useFacilityWrites } from './use-facility-writes';
import { Notice, Page } from '../../ui/layout';
import { T } from './text';
import { VacancyReport } from './vacancy-report';

export function FacilitiesScreen() {
  const route = parseRoute(useHash());
  const writes = useFacilityWrites();
  switch (route.name) {
    case 'list':
      return <FacilityList />;
    case 'new':
      return writes.create ? <FacilityForm key="new" id={null} /> : <ReadOnly liaison={writes.liaison} />;
    case 'import':
      return writes.create ? <FacilityImport /> : <ReadOnly liaison={writes.liaison} />;
    case 'detail':
      return <FacilityDetail key={route.id} id={route.id} />;
    case 'edit':
      return writes.mayEdit(route.id) ? <FacilityForm key={`edit:${route.id}`} id={route.id} /> : <ReadOnly liaison={writes.liaison} />;
    case 'vacancy':
      // a liaison's link kept for another facility (typed, or from a colleague) is answered, not opened
      return writes.mayEdit(route.id) ? <VacancyReport key={`vacancy:${route.id}`} id={route.id} /> : <ReadOnly liaison={writes.liaison} />;
  }
}

/** A link to a form this person may not use (kept from before, or typed): said, with the way back. */
function ReadOnly({ liaison = false }: { liaison?: boolean }) {
  return (
    <Page title={T.listTitle} back={<a href={paths.list()}>{T.back}</a>}>
      <Notice kind="warn">{liaison ? T.liaisonOwnOnly : T.readOnlyForRole}</Notice>
    </Page>
  );
}
