/**
 * The short-stay facilities a case may name in a call typed by hand or in its outcome: the demo's
 * made-up facilities only in a demo case (its own id, or its household's, is demo), as the match
 * does: a real person's call to one went into real evidence, and counted as a facility reached.
 * One office registered twice is offered once, as the record the match shows (facility-twins.ts),
 * and the other too once a call of the case names it (its outcome and its corrections offer it).
 */
import { useMemo } from 'react';
import { isDemoCase, isDemoId } from '../../domain/demo-id';
import type { EmergencyCase } from '../../domain/emergency-case';
import type { Facility } from '../../domain/facility';
import { oneRecordPerOffice } from '../../domain/facility-twins';
import { useApp } from '../../state/store';

/** By name, in Japanese order. */
export function useCaseFacilities(kase: EmergencyCase): readonly Facility[] {
  const facilities = useApp((s) => s.facilities);
  const demoHouseholds = useApp((s) => s.demoIds);
  const demo = isDemoCase(kase, demoHouseholds);
  const contacts = kase.contacts;
  return useMemo(() => {
    const offered = [...facilities.values()].filter((f) => demo || !isDemoId(f.id));
    const named = new Set(contacts.flatMap((c) => (c.body.facilityId === null ? [] : [c.body.facilityId])));
    return oneRecordPerOffice(offered, Date.now(), named).sort((a, b) => a.name.localeCompare(b.name, 'ja'));
  }, [facilities, demo, contacts]);
}
