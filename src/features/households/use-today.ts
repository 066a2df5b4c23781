/** Today's calendar day in Japan (DOMAIN.md §5): ages, 者/児 and review dates use it. */
export { useJapanToday as useToday } from '../../state/use-minute-clock';
