/**
 * The aspect ratio as tiles with the real pixel size the model will produce
 * (shared/model/rules.ts planOutput, which follows cog-flux's table and rounding).
 */
import { useRef, type KeyboardEvent } from 'react';
import type { ModelField } from '../../../shared/model/schema';
import { aspectSize } from './logic';

function Glyph({ aspect }: { aspect: string }) {
  const m = /^(\d+):(\d+)$/.exec(aspect);
  const box = 22;
  if (!m) {
    return (
      <svg width={box} height={box} viewBox="0 0 22 22" aria-hidden="true" className="aspect-glyph">
        <rect x="3" y="5" width="16" height="12" rx="2" strokeDasharray="2.5 2" />
      </svg>
    );
  }
  const w = Number(m[1]);
  const h = Number(m[2]);
  const s = (box - 4) / Math.max(w, h);
  const rw = w * s;
  const rh = h * s;
  return (
    <svg width={box} height={box} viewBox="0 0 22 22" aria-hidden="true" className="aspect-glyph">
      <rect x={(box - rw) / 2} y={(box - rh) / 2} width={rw} height={rh} rx="2" />
    </svg>
  );
}

const NAMES: Record<string, string> = {
  '1:1': 'Square',
  '4:5': 'Portrait',
  '2:3': 'Portrait',
  '3:4': 'Portrait',
  '9:16': 'Story',
  '9:21': 'Tall',
  '5:4': 'Landscape',
  '3:2': 'Landscape',
  '4:3': 'Landscape',
  '16:9': 'Wide',
  '21:9': 'Cinema',
  custom: 'Custom',
};

export function AspectPicker({
  field,
  value,
  megapixels,
  onChange,
  disabledReason,
  labelId,
  describedBy,
}: {
  field: ModelField;
  value: string;
  megapixels: unknown;
  onChange(v: string): void;
  disabledReason?: string | undefined;
  labelId: string;
  describedBy?: string | undefined;
}) {
  const options = (field.enum ?? []).map(String);
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const idx = Math.max(0, options.indexOf(value));
  const disabled = !!disabledReason;

  function onKey(e: KeyboardEvent) {
    const cols = 4;
    const d = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols }[e.key];
    if (!d) return;
    e.preventDefault();
    const next = Math.min(options.length - 1, Math.max(0, idx + d));
    onChange(options[next]!);
    refs.current[next]?.focus();
  }

  return (
    <div
      role="radiogroup"
      aria-labelledby={labelId}
      aria-describedby={describedBy}
      className="aspect-grid"
      onKeyDown={onKey}
      aria-disabled={disabled || undefined}
    >
      {options.map((a, i) => {
        const size = aspectSize(a, megapixels);
        const sizeText = size ? `${size.width} × ${size.height}` : 'Your size';
        return (
          <button
            key={a}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={a === value}
            aria-label={`${a} ${NAMES[a] ?? ''}, ${size ? `${size.width} by ${size.height} pixels` : 'set width and height'}`}
            tabIndex={i === idx ? 0 : -1}
            disabled={disabled}
            className="aspect-tile"
            title={NAMES[a] ? `${NAMES[a]} · ${sizeText}` : sizeText}
            onClick={() => onChange(a)}
          >
            <Glyph aspect={a} />
            <span className="aspect-name">{a === 'custom' ? 'Custom' : a}</span>
            <span className="aspect-size">{sizeText}</span>
          </button>
        );
      })}
    </div>
  );
}
