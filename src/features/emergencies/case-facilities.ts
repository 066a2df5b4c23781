/**
 * The short-stay facilities a case may name in a call typed by hand or in its outcome: the demo's
 * made-up facilities only in a demo case (its own id, or its household's, is demo), as the match
 * does: a real person's call to one went into real evidence, and counted as a facility reached.
 */
import { useMemo } from 'react';
import { isDemoCase, isDemoId } from '../../domain/demo-id';
import type { EmergencyCase } from '../../domain/emergency-case';
import type { Facility } from '../../domain/facility';
import { useApp } from '../../state/store';

/** By name, in Japanese order. */
export function useCaseFacilities(kase: EmergencyCase): readonly Facility[] {
  const facilities = useApp((s) => s.facilities);
  const demoHouseholds = useApp((s) => s.demoIds);
  const demo = isDemoCase(kase, demoHouseholds);
  return useMemo(
    () => [...facilities.values()].filter((f) => demo || !isDemoId(f.id)).sort((a, b) => a.name.localeCompare(b.name, 'ja')),
    [facilities, demo],
  );
}
