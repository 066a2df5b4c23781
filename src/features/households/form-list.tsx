/** An editable list of small records (contacts, doctors, services…): add, remove, and optionally reorder. */
import { useRef, useState, type ReactNode } from 'react';
import { announce } from '../../ui/announce';
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
  // The items are drawn by place: after a move the focus would stay on the place, now holding the
  // other contact (a second tap put the order back), and after 削除 on the next item's 削除. The
  // focus follows the item moved, goes to 元に戻す after 削除, and into the item put back.
  const box = useRef<HTMLDivElement>(null);
  const placeAt = (i: number) => box.current?.querySelectorAll<HTMLElement>(':scope > .hh-item')[i];
  const focusNextFrame = (find: () => HTMLElement | null | undefined) => requestAnimationFrame(() => find()?.focus());
  const move = (from: number, to: number) => {
    change(moveItem(items, from, to));
    announce(F.movedTo(itemLabel(to)));
    focusNextFrame(() => {
      const [up, down] = [...(placeAt(to)?.querySelectorAll<HTMLButtonElement>('.hh-item__bar button') ?? [])];
      const same = to < from ? up : down;
      return same && !same.disabled ? same : to < from ? down : up;
    });
  };
  return (
    <div className="hh-list-editor" ref={box}>
      {items.map((item, i) => {
        const label = itemLabel(i);
        return (
          <fieldset key={i} className="hh-item">
            <legend>{label}</legend>
            {children(item, i, (patch) => change(replaceAt(items, i, { ...item, ...patch })))}
            <div className="hh-item__bar">
              {ordered ? (
                <>
                  <Button aria-label={`${label}を${F.moveUp}`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                    ↑ {F.moveUp}
                  </Button>
                  <Button
                    aria-label={`${label}を${F.moveDown}`}
                    disabled={i === items.length - 1}
                    onClick={() => move(i, i + 1)}
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
                  focusNextFrame(() => box.current?.querySelector<HTMLElement>(':scope > .hh-undo button'));
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
              focusNextFrame(() => placeAt(removed.index)?.querySelector<HTMLElement>('input, select, textarea'));
            }}
          >
            {F.undo}
          </Button>
        </p>
      ) : null}
      <Button
        onClick={() => {
          change([...items, blank()]);
          // into the new item's first field: drawn above this button, it was 5 to 8 Shift+Tabs away
          focusNextFrame(() => placeAt(items.length)?.querySelector<HTMLElement>('input, select, textarea'));
        }}
      >
        ＋ {addLabel}
      </Button>
    </div>
  );
}
