/** Every group of the attack suite, in the order they run. */
import type { AttackGroup } from './attack-suite';
import { edgeAttacks } from './edge';
import { throttleAttacks } from './throttle';

export const ALL_ATTACKS: Readonly<Record<string, AttackGroup>> = {
  'sign-in throttling': throttleAttacks,
  'the edge': edgeAttacks,
};
