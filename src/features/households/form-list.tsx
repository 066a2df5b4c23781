/** An editable list of small records (contacts, doctors, services…): add, remove, and optionally reorder. */
import type { ReactNode } from 'react';
import { Button } from '../../ui/button';
import { moveItem, removeAt, replaceAt } from './form-model';
import { F } from './text';

export function ListEditor<T>({
  items,
  onChange,
  blank,
  addLabel,
  itemLabel,
  ordered = false,
  children,
}: {
  items: readonly T[];
  onChange: (next: T[]) => void;
  blank: () => T;
  addLabel: string;
  itemLabel: (i: number) => string;
  /** calling order matters (緊急連絡先): show up/down buttons */
  ordered?: boolean;
  children: (item: T, i: number, update: (patch: Partial<T>) => void) => ReactNode;
}) {
  return (
    <div className="hh-list-editor">
      {items.map((item, i) => {
        const label = itemLabel(i);
        return (
          <fieldset key={i} className="hh-item">
            <legend>{label}</legend>
            {children(item, i, (patch) => onChange(replaceAt(items, i, { ...item, ...patch })))}
            <div className="hh-item__bar">
              {ordered ? (
                <>
                  <Button aria-label={`${label}を${F.moveUp}`} disabled={i === 0} onClick={() => onChange(moveItem(items, i, i - 1))}>
                    ↑ {F.moveUp}
                  </Button>
                  <Button
                    aria-label={`${label}を${F.moveDown}`}
                    disabled={i === items.length - 1}
                    onClick={() => onChange(moveItem(items, i, i + 1))}
                  >
                    ↓ {F.moveDown}
                  </Button>
                </>
              ) : null}
              <Button variant="ghost" aria-label={`${label}を${F.remove}`} onClick={() => onChange(removeAt(items, i))}>
                {F.remove}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button onClick={() => onChange([...items, blank()])}>＋ {addLabel}</Button>
    </div>
  );
}
