import { COMPARE_MAX, useCompare, type CompareItem } from '../features/compare/compare-store';
import { IconCheck } from '../app/icons';

/** A checkbox over a photo: pick it for the side-by-side comparison. */
export function CompareCheck({ item, label }: { item: CompareItem; label: string }) {
  const selected = useCompare((s) => s.items.some((x) => x.id === item.id));
  const full = useCompare((s) => s.items.length >= COMPARE_MAX);
  const toggle = useCompare((s) => s.toggle);
  const disabled = !selected && full;
  return (
    <button
      type="button"
      role="checkbox"
      aria-checked={selected}
      aria-label={label}
      title={
        disabled
          ? `Compare up to ${COMPARE_MAX} photos at a time`
          : selected
            ? 'Remove from the comparison'
            : 'Select to compare side by side'
      }
      className={`compare-check${selected ? ' is-on' : ''}`}
      disabled={disabled}
      onClick={() => toggle(item)}
    >
      {selected ? <IconCheck size={12} /> : null}
    </button>
  );
}
