/** Every group of the attack suite, in the order they run. */
import type { AttackGroup } from './attack-suite';
import { accessAttacks, retirementAttacks } from './access';
import { edgeAttacks } from './edge';
import { throttleAttacks } from './throttle';

export const ALL_ATTACKS: Readonly<Record<string, AttackGroup>> = {
  'sign-in throttling': throttleAttacks,
  'the edge': edgeAttacks,
  'accounts, sessions, forged ids and scope': accessAttacks,
  'retirement': retirementAttacks,
};
