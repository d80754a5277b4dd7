/**
 * The gallery's filters, each with the number of photos choosing it would show (main's counts,
 * every other filter applied): the flag as chips (All / Picked / Rejected / Unflagged), then
 * rating ≥ N, model, aspect, mode, a date range, search in prompts, and the sort.
 */
import { useEffect, useRef, useState } from 'react';
import type { GalleryCountsT, GalleryFilterT } from '../../../shared/ipc/contract';
import { IconSearch, IconX } from '../../app/icons';
import { IconFlag } from './CullMarks';
import { MODE_LABEL } from './run-labels';
import { clearFilter, isFiltered, setFilter, setSort, useGallery, type GallerySort } from './gallery-store';

const FLAG_CHIPS = [
  { value: 'any', label: 'All' },
  { value: 'pick', label: 'Picked' },
  { value: 'reject', label: 'Rejected' },
  { value: 'unflagged', label: 'Unflagged' },
] as const;

const n = (v: number) => v.toLocaleString();

/** A day as the date input shows it (local time), and back: the range is whole days. */
function dayText(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function dayStart(text: string): number | undefined {
  if (!text) return undefined;
  const [y, m, d] = text.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}
function dayEnd(text: string): number | undefined {
  const s = dayStart(text);
  return s === undefined ? undefined : s + 86_400_000 - 1;
}

function Select({
  label,
  value,
  onChange,
  options,
  testId,
  on,
}: {
  on?: boolean;
  label: string;
  value: string;
  onChange(v: string): void;
  options: { value: string; label: string }[];
  testId?: string;
}) {
  return (
    <label className={`chip-select${(on ?? !!value) ? ' is-on' : ''}`}>
      <select
        className="chip-select-input"
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar() {
  const filter = useGallery((s) => s.filter);
  const counts = useGallery((s) => s.counts);
  const sort = useGallery((s) => s.sort);
  const c: GalleryCountsT = counts ?? {
    flag: { any: 0, pick: 0, reject: 0, unflagged: 0 },
    rating: [0, 0, 0, 0, 0, 0],
    model: [],
    aspect: [],
    mode: { txt2img: 0, img2img: 0, inpaint: 0 },
  };
  const flag = filter.flag ?? 'any';
  return (
    <div className="filter-bar" role="toolbar" aria-label="Filters" data-testid="filter-bar">
      <div className="flag-chips" role="group" aria-label="Flag">
        {FLAG_CHIPS.map((chip) => (
          <button
            key={chip.value}
            type="button"
            className={`cull-chip${flag === chip.value ? ' is-on' : ''}`}
            aria-pressed={flag === chip.value}
            data-testid={`chip-${chip.value}`}
            onClick={() => void setFilter({ flag: chip.value })}
          >
            {chip.value === 'pick' || chip.value === 'reject' ? (
              <IconFlag size={12} reject={chip.value === 'reject'} />
            ) : null}
            {chip.label} <span className="chip-count">{n(c.flag[chip.value])}</span>
          </button>
        ))}
      </div>
      <Select
        label="Rating"
        testId="filter-rating"
        value={filter.minRating ? String(filter.minRating) : ''}
        onChange={(v) => void setFilter({ minRating: Number(v) || 0 })}
        options={[
          { value: '', label: `Any rating (${n(c.rating[0] ?? 0)})` },
          ...[1, 2, 3, 4, 5].map((r) => ({ value: String(r), label: `★ ${r}+ (${n(c.rating[r] ?? 0)})` })),
        ]}
      />
      <Select
        label="Model"
        testId="filter-model"
        value={filter.model ?? ''}
        onChange={(v) => void setFilter({ model: v })}
        options={[
          { value: '', label: 'Every model' },
          ...c.model.map((m) => ({ value: m.value, label: `${m.value} (${n(m.count)})` })),
        ]}
      />
      <Select
        label="Aspect"
        testId="filter-aspect"
        value={filter.aspect ?? ''}
        onChange={(v) => void setFilter({ aspect: v })}
        options={[
          { value: '', label: 'Any shape' },
          ...c.aspect.map((a) => ({ value: a.value, label: `${a.value} (${n(a.count)})` })),
        ]}
      />
      <Select
        label="Mode"
        testId="filter-mode"
        value={filter.mode ?? ''}
        onChange={(v) => void setFilter({ mode: (v || undefined) as GalleryFilterT['mode'] })}
        options={[
          { value: '', label: 'Made any way' },
          ...(['txt2img', 'img2img', 'inpaint'] as const).map((m) => ({
            value: m,
            label: `${MODE_LABEL[m]} (${n(c.mode[m])})`,
          })),
        ]}
      />
      <span className="date-range" role="group" aria-label="Date">
        <input
          type="date"
          className="input input--small"
          aria-label="From day"
          value={dayText(filter.from)}
          onChange={(e) => void setFilter({ from: dayStart(e.target.value) })}
        />
        <span aria-hidden="true">–</span>
        <input
          type="date"
          className="input input--small"
          aria-label="To day"
          value={dayText(filter.to)}
          onChange={(e) => void setFilter({ to: dayEnd(e.target.value) })}
        />
      </span>
      <Select
        label="Sort"
        testId="gallery-sort"
        on={sort !== 'newest'}
        value={sort}
        onChange={(v) => void setSort(v as GallerySort)}
        options={[
          { value: 'newest', label: 'Newest first' },
          { value: 'oldest', label: 'Oldest first' },
          { value: 'rating', label: 'Highest rated' },
        ]}
      />
      {isFiltered(filter) ? (
        <button type="button" className="link-button" onClick={() => void clearFilter()}>
          <IconX size={12} /> Clear filters
        </button>
      ) : null}
    </div>
  );
}

/** Search in prompts: sent 200 ms after the last key (accents and case do not matter, main folds them). */
export function SearchBox() {
  const search = useGallery((s) => s.filter.search ?? '');
  const [text, setText] = useState(search);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setText(search), [search]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return (
    <div className="search">
      <IconSearch size={15} />
      <input
        type="search"
        className="input"
        placeholder="Search prompts"
        aria-label="Search prompts"
        value={text}
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => void setFilter({ search: v }), 200);
        }}
      />
    </div>
  );
}
