/**
 * The grid of every photo of the filter, virtualised (@tanstack/react-virtual): only the rows on
 * screen and a few above and below are in the DOM, reused as they scroll, and only the records of
 * the runs near them are asked from main (gallery-store.ts needRecords), so 20,000 photos scroll
 * like 20. Thumbnails are main's cached WebPs, handed to the tiles a few a frame (thumb-loader.ts)
 * so a fast scroll stays smooth. Photos still being made by a running job come first as
 * placeholders. A click selects (Shift: a range, ⌘/Ctrl: one more or one less), a double-click
 * opens the photo in the loupe; the button under the photo the pointer is over (or the active one)
 * opens its run's page.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { create } from 'zustand';
import { observeSized } from './virtual-rect';
import { ThumbLoader } from './thumb-loader';
import { thumbUrl } from '../../app/client';
import { useNav } from '../../app/nav-store';
import { Spinner } from '../../app/controls';
import { IconExternal } from '../../app/icons';
import { useCullAt } from '../results/keep';
import { CullMarks, ratingWords } from './CullMarks';
import { flagWords, useFound, needRecords, parseKey, savedScrollTop, setScrollTop, useGallery } from './gallery-store';
import type { ClickMods } from './selection';

const MIN_TILE = 168;
const GAP = 10;
const META = 30;
/** Rows beyond the mounted ones whose records are fetched ahead (a fast scroll's half-second). */
const RECORDS_AHEAD = 12;
const OVERSCAN = 2;

export interface Placeholder {
  key: string;
  label: string;
  ratio: number;
}

/**
 * The tile under the pointer (its "open the run" button shows), outside the grid's own state: a
 * wheel scroll moves tiles under a still pointer, and each one entering re-rendered every row;
 * here only the tile it leaves and the one it enters render. One grid is on screen at a time.
 */
const useHover = create<{ key: string | null }>(() => ({ key: null }));
function hover(key: string | null): void {
  if (useHover.getState().key !== key) useHover.setState({ key });
}

/** Columns and tile size for a width. */
export function gridLayout(width: number): { cols: number; tile: number } {
  const cols = Math.max(1, Math.floor((width + GAP) / (MIN_TILE + GAP)));
  const tile = Math.floor((width - GAP * (cols - 1)) / cols);
  return { cols, tile };
}

/** One photo; memoised, so a scroll re-renders only the rows that come and go. */
const PhotoTile = memo(function PhotoTile({
  photoKey,
  position,
  row,
  size,
  loader,
  onPick,
  onOpen,
}: {
  photoKey: string;
  position: number;
  /** its row, for the order thumbnails come in */
  row: number;
  size: number;
  loader: ThumbLoader;
  onPick(key: string, mods: ClickMods): void;
  onOpen(key: string): void;
}) {
  const found = useFound(photoKey);
  const selected = useGallery((s) => s.sel.selected.has(photoKey));
  const active = useGallery((s) => s.sel.active === photoKey);
  const hovered = useHover((s) => s.key === photoKey);
  const openRun = useNav((s) => s.openRun);
  const { runId, index } = parseKey(photoKey);
  const cull = useCullAt(runId, index, found?.image);
  const label = found ? found.run.label || found.run.prompt : '';
  const of = found?.run.images.length ?? 0;
  const name = found
    ? `“${label}”${of > 1 ? `, photo ${found.run.images.indexOf(found.image) + 1} of ${of}` : ''}, ${flagWords(cull.flag)}, ${ratingWords(cull.rating)}`
    : 'Loading photo';
  // A 1× screen gets the 256 px thumbnail for a tile of 168–256 px: a quarter of the decoding.
  const url = found ? thumbUrl(found.image.id, size * devicePixelRatio) : null;
  // The loader sets src (no render needed); a tile scrolled out before its turn costs nothing.
  const attach = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img || !url) return;
      loader.want(img, url, row);
      return () => loader.drop(img);
    },
    [loader, url, row],
  );
  const click = (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest('button')) return;
    onPick(photoKey, { shift: e.shiftKey, toggle: e.metaKey || e.ctrlKey });
  };
  return (
    <div
      role="gridcell"
      id={`tile-${position}`}
      className={`photo-tile${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}${cull.flag === 'reject' ? ' is-rejected' : ''}`}
      style={{ width: size }}
      aria-selected={selected}
      aria-label={name}
      data-testid="photo-tile"
      data-key={photoKey}
      data-flag={cull.flag ?? undefined}
      data-rating={cull.rating || undefined}
      onClick={click}
      onDoubleClick={() => onOpen(photoKey)}
    >
      <div className="photo-cell" style={{ height: size }}>
        {found ? (
          <img
            ref={attach}
            alt=""
            decoding="async"
            draggable={false}
            width={found.image.width}
            height={found.image.height}
          />
        ) : (
          <div className="photo-cell-empty" aria-hidden="true" />
        )}
        <CullMarks flag={cull.flag} rating={cull.rating} />
      </div>
      <div className="photo-meta">
        <span className="photo-label" title={found?.run.prompt}>
          {label}
        </span>
        {/* Only the tile under the pointer and the active one have it: one button, not a hidden
            one in every tile (fewer elements to build as rows scroll in, one tab stop in the grid). */}
        {found && (hovered || active) ? (
          <button
            type="button"
            className="photo-open-run"
            aria-label={`Open “${label}”`}
            title="Open its run: every setting, reuse, export"
            onClick={() => openRun(runId)}
          >
            <IconExternal size={13} />
          </button>
        ) : null}
      </div>
    </div>
  );
});

function PlaceholderTile({ p, size }: { p: Placeholder; size: number }) {
  return (
    <div
      role="gridcell"
      className="photo-tile photo-tile--pending"
      style={{ width: size }}
      aria-label={`Being made: “${p.label}”`}
      data-testid="photo-pending"
    >
      <div className="photo-cell" style={{ height: size }}>
        <div className="photo-pending-frame" style={{ aspectRatio: String(p.ratio) }}>
          <Spinner />
        </div>
      </div>
      <div className="photo-meta">
        <span className="photo-label muted">{p.label}</span>
      </div>
    </div>
  );
}

export function GalleryGrid({
  keys,
  placeholders,
  onPick,
  onOpen,
  onColumns,
}: {
  keys: readonly string[];
  placeholders: readonly Placeholder[];
  onPick(key: string, mods: ClickMods): void;
  onOpen(key: string): void;
  /** the grid's columns, for ↑ ↓ */
  onColumns(cols: number): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const { cols, tile } = gridLayout(width || 800);
  const count = placeholders.length + keys.length;
  const rows = Math.ceil(count / cols);
  const active = useGallery((s) => s.sel.active);
  const rowHeight = tile + META + GAP;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // The width the tiles share is the scroller's content box: clientWidth counts its padding too,
    // and a grid laid out for it ran its last column past the edge (a 1280 px window: 7 columns
    // of 174 px where 1216 px are shown).
    const inner = () => {
      const cs = getComputedStyle(el);
      return Math.max(0, el.clientWidth - (parseFloat(cs.paddingLeft) || 0) - (parseFloat(cs.paddingRight) || 0));
    };
    setWidth(inner());
    const ro = new ResizeObserver(() => setWidth(inner()));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => onColumns(cols), [cols, onColumns]);

  // The tile under the pointer (for its "open the run" button), found from the grid's one handler.
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The DOM's own pointerleave, not React's, which it derives from pointerout and its
    // relatedTarget: an event without one (happy-dom's, synthetic ones) reads as leaving the
    // grid and took the button away between pointerdown and click.
    const el = grid.current;
    const leave = () => hover(null);
    el?.addEventListener('pointerleave', leave);
    return () => {
      el?.removeEventListener('pointerleave', leave);
      hover(null);
    };
  }, []);
  // The loader measures the grid's pace from the virtualizer's offset (kept from the scroll
  // events, so reading it costs no layout), in rows.
  const position = useRef<() => number>(() => 0);
  position.current = () => (virt.scrollOffset ?? 0) / rowHeight;
  const [loader] = useState(() => new ThumbLoader({ position: () => position.current() }));
  useEffect(() => () => loader.dispose(), [loader]);
  const virt = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    observeElementRect: observeSized,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
    initialOffset: () => savedScrollTop(),
  });
  useEffect(() => virt.measure(), [rowHeight, virt]);

  const items = virt.getVirtualItems();
  // The runs of the rows on screen and of RECORDS_AHEAD rows either side: their records, in one
  // call, before those rows mount, so a row scrolling in is drawn once, whole, not first as
  // "Loading" cells and again when its records arrive.
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const visibleRuns = useMemo(() => {
    const out = new Set<string>();
    const from = Math.max(0, first - RECORDS_AHEAD) * cols;
    for (let i = from; i < Math.min(count, (last + 1 + RECORDS_AHEAD) * cols); i++) {
      const k = keys[i - placeholders.length];
      if (k) out.add(parseKey(k).runId);
    }
    return out;
  }, [first, last, cols, count, keys, placeholders.length]);
  useEffect(() => needRecords(visibleRuns), [visibleRuns]);
  // The rows actually on screen (not the overscan) come first; a moving grid gets fewer a frame.
  const range = virt.range;
  useLayoutEffect(() => {
    loader.setView(range?.startIndex ?? first, range?.endIndex ?? last, virt.isScrolling);
    // Kept for coming back to the gallery; the virtualizer has read it already (reading scrollTop
    // in an onScroll of ours would force a layout of the rows just mounted, every frame).
    setScrollTop(virt.scrollOffset ?? 0);
  });

  // The active photo stays in view as the arrows move it.
  useEffect(() => {
    if (active === null) return;
    const at = keys.indexOf(active);
    if (at >= 0) virt.scrollToIndex(Math.floor((at + placeholders.length) / cols), { align: 'auto' });
  }, [active, keys, cols, placeholders.length, virt]);

  const activeAt = active === null ? -1 : keys.indexOf(active);
  // Rows are keyed by slot, not by index, and tiles by column: the row leaving at the top is the
  // row coming in at the bottom, its elements kept and given the new photos (React changes a few
  // attributes and a text), where building six tiles and tearing six down each frame of a fast
  // scroll was most of the frame. `slots` is at least the rows the virtualizer can hand out.
  const viewH = virt.scrollRect?.height ?? 0;
  const slots = Math.ceil(viewH / rowHeight) + 2 * OVERSCAN + 2;
  return (
    <div ref={scroller} className="gallery-scroller" data-testid="gallery-scroller">
      <div
        ref={grid}
        role="grid"
        aria-label="Photos"
        aria-multiselectable="true"
        aria-rowcount={rows}
        aria-colcount={cols}
        aria-activedescendant={activeAt >= 0 ? `tile-${activeAt}` : undefined}
        className="photo-grid"
        style={{ height: virt.getTotalSize() }}
        onPointerOver={(e) => hover((e.target as HTMLElement).closest('[data-key]')?.getAttribute('data-key') ?? null)}
      >
        {items.map((row) => {
          const start = row.index * cols;
          const cells = [];
          for (let i = start; i < Math.min(count, start + cols); i++) {
            if (i < placeholders.length) {
              const p = placeholders[i]!;
              cells.push(<PlaceholderTile key={p.key} p={p} size={tile} />);
            } else {
              const k = keys[i - placeholders.length]!;
              cells.push(
                <PhotoTile
                  key={i - start}
                  photoKey={k}
                  position={i - placeholders.length}
                  row={row.index}
                  size={tile}
                  loader={loader}
                  onPick={onPick}
                  onOpen={onOpen}
                />,
              );
            }
          }
          return (
            <div
              key={row.index % slots}
              role="row"
              aria-rowindex={row.index + 1}
              className="photo-row"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight - GAP, gap: GAP }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}
