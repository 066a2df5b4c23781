/** A facility's numbers as big tel: links, on the match cards and again on each 電話済み card. */
import type { Facility } from '../../domain/facility';
import { formatPhoneForTel } from '../../domain/normalize';
import { formatJapanesePhone, isJapanNight } from '../../domain/night-call';
import { T } from './text';

/** Records the call in the case when one is open; null when nothing is recorded. */
export type OnCall = ((facility: Facility) => void) | null;

/** The facility's numbers, the 夜間 one first between 20:00 and 07:00 Japan time. */
export function CallLinks({ facility, onCall, now }: { facility: Facility; onCall: OnCall; now: Date }) {
  const links: { key: string; href: string; text: string }[] = [];
  const day = formatPhoneForTel(facility.phone);
  if (day) links.push({ key: 'day', href: day, text: T.phone(formatJapanesePhone(facility.phone)) });
  const night = formatPhoneForTel(facility.nightPhone);
  if (night) links[isJapanNight(now) ? 'unshift' : 'push']({ key: 'night', href: night, text: T.nightPhone(formatJapanesePhone(facility.nightPhone)) });
  if (links.length === 0) return <p>{T.noPhone}</p>;
  return (
    <div className="match-card__calls">
      {links.map((l) => (
        <a key={l.key} className="tel" href={l.href} onClick={onCall ? () => onCall(facility) : undefined}>
          {l.text}
          {/* a screen reader's list of links says whose number each is (on the card, the name is above) */}
          <span className="visually-hidden">{T.numberOf(facility.name)}</span>
        </a>
      ))}
    </div>
  );
}
