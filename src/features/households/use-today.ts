/** Today's calendar day in Japan (DOMAIN.md §5), read once per screen: ages, 者/児 and review dates use it. */
import { useState } from 'react';
import { japanDateOf } from '../../domain/japan-time';

export function useToday(): string {
  const [today] = useState(() => japanDateOf(new Date()));
  return today;
}
