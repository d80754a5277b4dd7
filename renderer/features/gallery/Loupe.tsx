/**
 * The loupe: the active photo large (fit, or 1:1 = one image pixel per screen pixel with Space/Z,
 * drag or scroll to look around), its flag and stars as buttons, and a filmstrip of the whole
 * filter below (virtualised like the grid). ← → move through the filter; the keys apply to the
 * photo shown.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { observeSized } from './virtual-rect';
import type { FlagT } from '../../../shared/ipc/contract';
import { assetUrl, thumbUrl } from '../../app/client';
import { useNav } from '../../app/nav-store';
import { IconExternal, IconGrid } from '../../app/icons';
import { applyFlag, applyRating, useCullAt } from '../results/keep';
import { IconStar } from '../../components/IconStar';
import { CullMarks, IconFlag, ratingWords } from './CullMarks';
import { dateLabel, MODE_LABEL } from './run-labels';
import { useFound, needRecords, parseKey, setActual, setView, useGallery } from './gallery-store';

const STRIP = 64;

function StripThumb({ photoKey, onPick }: { photoKey: string; onPick(key: string): void }) {
  const found = useFound(photoKey);
  const active = useGallery((s) => s.sel.active === photoKey);
  const { runId, index } = parseKey(photoKey);
  const cull = useCullAt(runId, index, found?.image);
  return (
    <button
      type="button"
      className={`strip-thumb${active ? ' is-active' : ''}${cull.flag === 'reject' ? ' is-rejected' : ''}`}
      aria-current={active || undefined}
      aria-label={found ? `Show “${found.run.label || found.run.prompt}”` : 'Show this photo'}
      data-testid="strip-thumb"
      tabIndex={-1}
      onClick={() => onPick(photoKey)}
    >
      {found ? <img src={thumbUrl(found.image.id)} alt="" loading="lazy" draggable={false} /> : null}
      <CullMarks flag={cull.flag} rating={cull.rating} compact />
    </button>
  );
}

function Filmstrip({ keys, onPick }: { keys: readonly string[]; onPick(key: string): void }) {
  const box = useRef<HTMLDivElement>(null);
  const active = useGallery((s) => s.sel.active);
  const virt = useVirtualizer({
    horizontal: true,
    count: keys.length,
    getScrollElement: () => box.current,
    observeElementRect: observeSized,
    estimateSize: () => STRIP + 6,
    overscan: 8,
  });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const runs = useMemo(() => {
    const out = new Set<string>();
    for (let i = first; i <= last; i++) if (keys[i]) out.add(parseKey(keys[i]).runId);
    return out;
  }, [first, last, keys]);
  useEffect(() => needRecords(runs), [runs]);
  useEffect(() => {
    const at = active === null ? -1 : keys.indexOf(active);
    if (at >= 0) virt.scrollToIndex(at, { align: 'center' });
  }, [active, keys, virt]);
  return (
    <div ref={box} className="filmstrip" aria-label="Filmstrip" data-testid="filmstrip">
      <div className="filmstrip-track" style={{ width: virt.getTotalSize() }}>
        {items.map((it) => (
          <div key={it.key} className="filmstrip-cell" style={{ transform: `translateX(${it.start}px)` }}>
            <StripThumb photoKey={keys[it.index]!} onPick={onPick} />
          </div>
        ))}
      </div>
    </div>
  );
}

export function Loupe({ keys, onPick }: { keys: readonly string[]; onPick(key: string): void }) {
  const active = useGallery((s) => s.sel.active);
  const actual = useGallery((s) => s.actual);
  const found = useFound(active);
  const openRun = useNav((s) => s.openRun);
  const { runId, index } = active ? parseKey(active) : { runId: '', index: -1 };
  const cull = useCullAt(runId, index, found?.image);
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  const at = active === null ? -1 : keys.indexOf(active);

  useEffect(() => {
    if (active) needRecords([parseKey(active).runId]);
  }, [active]);
  // 1:1 starts at the middle of the photo.
  useEffect(() => {
    const el = stage.current;
    if (!el || !actual) return;
    el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
  }, [actual, active]);

  if (!active || at < 0) {
    return (
      <div className="loupe loupe--empty" data-testid="loupe">
        <p className="muted">No photo to show: pick one in the grid.</p>
      </div>
    );
  }
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const flagButton = (flag: Exclude<FlagT, null>, label: string) => (
    <button
      type="button"
      className={`button button--small cull-button${cull.flag === flag ? ' is-on' : ''}`}
      aria-pressed={cull.flag === flag}
      disabled={cull.busy || !found}
      title={`${label} (${flag === 'pick' ? 'P' : 'X'}); press again to unflag (U)`}
      onClick={() => void applyFlag([{ runId, index }], cull.flag === flag ? null : flag)}
    >
      <IconFlag size={13} reject={flag === 'reject'} /> {cull.flag === flag ? `${label}ed` : label}
    </button>
  );
  return (
    <div className="loupe" data-testid="loupe" data-key={active}>
      <div className="loupe-bar">
        <button type="button" className="button button--small" onClick={() => setView('grid')} title="Grid (G)">
          <IconGrid size={14} /> Grid
        </button>
        <span className="loupe-pos muted small" data-testid="loupe-position">
          {at + 1} of {keys.length}
        </span>
        <div className="loupe-cull">
          {flagButton('pick', 'Pick')}
          {flagButton('reject', 'Reject')}
          <span role="radiogroup" aria-label={`Rating: ${ratingWords(cull.rating)}`} className="cull-rating">
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={cull.rating === n}
                aria-label={`${n} star${n > 1 ? 's' : ''}`}
                title={`${n} star${n > 1 ? 's' : ''} (${n}); 0 clears`}
                disabled={cull.busy || !found}
                className={cull.rating >= n ? 'is-on' : ''}
                onClick={() => void applyRating([{ runId, index }], cull.rating === n ? 0 : n)}
              >
                <IconStar size={15} filled={cull.rating >= n} />
              </button>
            ))}
          </span>
        </div>
        <button
          type="button"
          className="button button--small"
          aria-pressed={actual}
          title="1:1 / fit (Space or Z)"
          onClick={() => setActual(!actual)}
        >
          {actual ? 'Fit' : '1:1'}
        </button>
        {found ? (
          <button type="button" className="button button--small" onClick={() => openRun(runId)}>
            <IconExternal size={13} /> Open run
          </button>
        ) : null}
      </div>
      <div
        ref={stage}
        className={`loupe-stage${actual ? ' is-actual' : ''}`}
        data-testid="loupe-stage"
        onPointerDown={(e) => {
          if (!actual || !stage.current) return;
          drag.current = { x: e.clientX, y: e.clientY, left: stage.current.scrollLeft, top: stage.current.scrollTop };
          e.currentTarget.setPointerCapture?.(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d || !stage.current) return;
          stage.current.scrollLeft = d.left - (e.clientX - d.x);
          stage.current.scrollTop = d.top - (e.clientY - d.y);
        }}
        onPointerUp={() => (drag.current = null)}
        onDoubleClick={() => setActual(!actual)}
      >
        {found ? (
          <img
            key={found.image.id}
            src={assetUrl(found.image.id)}
            alt={found.run.label || found.run.prompt}
            draggable={false}
            width={found.image.width}
            height={found.image.height}
            style={actual ? { width: found.image.width / dpr, height: found.image.height / dpr } : undefined}
          />
        ) : null}
      </div>
      {found ? (
        <p className="loupe-caption muted small">
          {found.run.label || found.run.prompt} · {dateLabel(found.run.createdAt)} · {MODE_LABEL[found.run.mode]} ·{' '}
          {found.image.width}×{found.image.height}
          {found.run.seed !== null ? ` · seed ${found.run.seed}` : ''}
        </p>
      ) : null}
      <Filmstrip keys={keys} onPick={onPick} />
    </div>
  );
}
