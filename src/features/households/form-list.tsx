/** An editable list of small records (contacts, doctors, services…): add, remove, and optionally reorder. */
import { useState, type ReactNode } from 'react';
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
  // The last item removed, with its place, until 元に戻す or the next change of the list: 削除 sits
  // beside 下へ, and one slip of the thumb must not lose a contact typed with the family.
  const [removed, setRemoved] = useState<{ readonly item: T; readonly index: number; readonly label: string } | null>(null);
  const change = (next: T[]) => {
    setRemoved(null);
    onChange(next);
  };
  return (
    <div className="hh-list-editor">
      {items.map((item, i) => {
        const label = itemLabel(i);
        return (
          <fieldset key={i} className="hh-item">
            <legend>{label}</legend>
            {children(item, i, (patch) => change(replaceAt(items, i, { ...item, ...patch })))}
            <div className="hh-item__bar">
              {ordered ? (
                <>
                  <Button aria-label={`${label}を${F.moveUp}`} disabled={i === 0} onClick={() => change(moveItem(items, i, i - 1))}>
                    ↑ {F.moveUp}
                  </Button>
                  <Button
                    aria-label={`${label}を${F.moveDown}`}
                    disabled={i === items.length - 1}
                    onClick={() => change(moveItem(items, i, i + 1))}
                  >
                    ↓ {F.moveDown}
                  </Button>
                </>
              ) : null}
              <Button
                variant="ghost"
                aria-label={`${label}を${F.remove}`}
                onClick={() => {
                  onChange(removeAt(items, i));
                  setRemoved({ item, index: i, label });
                }}
              >
                {F.remove}
              </Button>
            </div>
          </fieldset>
        );
      })}
      {removed ? (
        <p className="hh-undo" role="status">
          {F.removedItem(removed.label)}
          <Button
            onClick={() => {
              onChange([...items.slice(0, removed.index), removed.item, ...items.slice(removed.index)]);
              setRemoved(null);
            }}
          >
            {F.undo}
          </Button>
        </p>
      ) : null}
      <Button onClick={() => change([...items, blank()])}>＋ {addLabel}</Button>
    </div>
  );
}
