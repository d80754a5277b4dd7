/** A row of radio buttons that looks like a macOS segmented control; arrow keys move. */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** A row of radio buttons that looks like a macOS segmented control; arrow keys move. */
export function Segmented<T extends string | number>({
  options,
  value,
  onChange,
  label,
  labelledBy,
  disabled,
  className,
}: {
  options: ReadonlyArray<{ value: T; label: ReactNode; title?: string }>;
  value: T;
  onChange(v: T): void;
  label?: string;
  labelledBy?: string;
  disabled?: boolean;
  className?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const idx = Math.max(
    0,
    options.findIndex((o) => o.value === value),
  );
  function onKey(e: KeyboardEvent) {
    const d =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = (idx + d + options.length) % options.length;
    onChange(options[next]!.value);
    refs.current[next]?.focus();
  }
  return (
    <div
      role="radiogroup"
      aria-label={label}
      aria-labelledby={labelledBy}
      className={`segmented${className ? ' ' + className : ''}`}
      onKeyDown={onKey}
    >
      {options.map((o, i) => (
        <button
          key={String(o.value)}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          tabIndex={i === idx ? 0 : -1}
          title={o.title}
          disabled={disabled}
          className="segmented-item"
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
