/**
 * The newest photo large in the studio's centre: fitted to the stage or at 100 % (click the photo,
 * Z, or the buttons; drag to move at 100 %), a before/after against the starting photo for
 * img2img and inpainting runs, the run's filmstrip, and what can be done with the photo (keep it,
 * start from it, open its run). Keys: ← → photos (on into the next run), K keep, hold B before,
 * Z zoom, Esc back (100 % → fit → the starting point).
 *
 * Before/after is press-and-hold, not a slider: the two photos swap in place, so a repainted area
 * is found by the eye as it flickers (a slider only shows a change where its edge passes), it
 * works the same at 100 % while dragging to move (a slider would fight the drag), and it leaves
 * the arrows to the filmstrip.
 *
 * Sizes, zoom and dragging are written to the DOM directly (ResizeObserver, pointer events):
 * resizing the window or moving a photo at 100 % never re-renders React.
 */
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { assetUrl } from '../../../app/client';
import { isActive, useJobs } from '../jobs-store';
import { useNav } from '../../../app/nav-store';
import { useSelection } from '../../studio/selection-store';
import { isTypingTarget, modalOpen } from '../../../app/controls';
import { IconGrid, IconWand, IconX } from '../../../app/icons';
import { Progress } from '../JobCard';
import { hasOwnLabel, snippet } from '../../../components/photo-card';
import { KeepButton, isKeepKey } from '../../../components/KeepButton';
import { RevealButton } from '../../library/RevealButton';
import { KEYS, hit, hitIndex, isKeyOf } from '../../shortcuts/keymap';
import { StagePhotoTools } from '../../export/StagePhotoTools';
import { strengthText, useRunFacts } from '../facts';
import { anchorScroll, fitScale, percent, type Insets } from './fit';
import { setZoom, showNewest, showPhoto, showStart, stepPhoto, useStage, type StageTarget } from './stage-store';
import { Filmstrip } from './Filmstrip';
import { Pending } from './Pending';
import './stage.css';

/** Room around the photo at Fit: the floating bar on top, a margin elsewhere. */
const FIT_PAD: Insets = { top: 56, right: 16, bottom: 16, left: 16 };

/** Arrow keys belong to these (a slider, a radio group, a list): the filmstrip leaves them alone. */
function ownsArrows(t: EventTarget | null): boolean {
  const el = t as Element | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (isTypingTarget(el)) return true;
  if (el.tagName === 'INPUT' && ['range', 'radio'].includes((el as HTMLInputElement).type)) return true;
  return !!el.closest(
    '[role="radiogroup"],[role="radio"],[role="slider"],[role="tablist"],[role="listbox"],[role="menu"],[role="menubar"],[role="grid"],[role="tree"],[data-no-shortcuts]',
  );
}

export function ResultStage({ target }: { target: StageTarget }) {
  const { job, index } = target;
  const img = job.images[index];
  const byId = useJobs((s) => s.byId);
  const zoom = useStage((s) => s.zoom);
  const pick = useStage((s) => s.pick);
  const unseen = useStage((s) => s.unseen);
  const started = useStage((s) => s.started[job.id]);
  const focusTick = useStage((s) => s.focusTick);
  const view = useNav((s) => s.view);
  const openRun = useNav((s) => s.openRun);
  const setSource = useSelection((s) => s.setSource);
  const facts = useRunFacts(job, started, { needBefore: true });
  const [holding, setHolding] = useState(false);

  const viewport = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const anchor = useRef<{ fx: number; fy: number; vx: number; vy: number } | null>(null);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;

  // The photo's size; before it exists, the size it will have (else a square).
  const size = img ?? started?.size ?? { width: 1024, height: 1024 };
  const w = size.width;
  const h = size.height;
  const before = img && facts.before ? facts.before : null;
  const saved = job.state === 'saved' && !!img;
  const hasPhoto = !!img;
  const title = hasOwnLabel(job) ? job.label : snippet(job.prompt || job.label, 80);

  // Fit or 100 %: written straight to the DOM, again on every resize of the stage.
  useLayoutEffect(() => {
    const vp = viewport.current;
    const fr = frame.current;
    if (!vp || !fr) return;
    const apply = () => {
      const fit = fitScale(vp.clientWidth, vp.clientHeight, w, h, FIT_PAD);
      const s = zoom === 'actual' ? 1 : fit;
      fr.style.width = `${Math.max(1, Math.round(w * s))}px`;
      fr.style.height = `${Math.max(1, Math.round(h * s))}px`;
      fr.dataset.scale = String(s);
      // What Fit shows this photo at, on the Fit button.
      if (readout.current) readout.current.textContent = percent(fit);
    };
    apply();
    const a = anchor.current;
    anchor.current = null;
    if (zoom === 'actual' && a) {
      const to = anchorScroll(a.fx, a.fy, a.vx, a.vy, w, h, { x: fr.offsetLeft, y: fr.offsetTop });
      vp.scrollLeft = to.left;
      vp.scrollTop = to.top;
    } else if (zoom === 'fit') {
      vp.scrollLeft = 0;
      vp.scrollTop = 0;
    }
    const win = vp.ownerDocument.defaultView;
    if (!win || typeof win.ResizeObserver !== 'function') return;
    const ro = new win.ResizeObserver(apply);
    ro.observe(vp);
    return () => ro.disconnect();
  }, [zoom, w, h, hasPhoto]);

  // A click on a result moves the keyboard here (arrows, K, Esc then act on this photo).
  const handledFocus = useRef(focusTick);
  useEffect(() => {
    if (focusTick !== handledFocus.current) viewport.current?.focus({ preventScroll: true });
    handledFocus.current = focusTick;
  }, [focusTick]);

  /** To 100 % about a point of the photo (fractions), which stays where it is on screen. */
  function zoomIn(fx: number, fy: number, vx: number, vy: number) {
    anchor.current = { fx, fy, vx, vy };
    setZoom('actual');
  }
  function toggleZoom() {
    const vp = viewport.current;
    if (zoomRef.current === 'actual' || !vp) setZoom('fit');
    else zoomIn(0.5, 0.5, vp.clientWidth / 2, vp.clientHeight / 2);
  }

  // Click the photo: 100 % there; click again: fit. Drag at 100 %: move it (no React on the way).
  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    const vp = viewport.current;
    const fr = frame.current;
    if (e.button !== 0 || !vp || !fr || !img) return;
    if ((e.target as Element).closest('button')) return;
    const start = { x: e.clientX, y: e.clientY, left: vp.scrollLeft, top: vp.scrollTop };
    let moved = false;
    const win = vp.ownerDocument.defaultView ?? window;
    const move = (ev: PointerEvent) => {
      if (!moved && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < 4) return;
      moved = true;
      if (zoomRef.current === 'actual') {
        vp.scrollLeft = start.left - (ev.clientX - start.x);
        vp.scrollTop = start.top - (ev.clientY - start.y);
        vp.dataset.dragging = '';
      }
    };
    const end = (ev: PointerEvent) => {
      win.removeEventListener('pointermove', move);
      win.removeEventListener('pointerup', end);
      win.removeEventListener('pointercancel', end);
      delete vp.dataset.dragging;
      if (moved || ev.type === 'pointercancel') return;
      if (zoomRef.current === 'actual') {
        setZoom('fit');
        return;
      }
      const r = fr.getBoundingClientRect();
      const v = vp.getBoundingClientRect();
      if (
        ev.clientX < r.left ||
        ev.clientX > r.right ||
        ev.clientY < r.top ||
        ev.clientY > r.bottom ||
        !r.width ||
        !r.height
      )
        return;
      zoomIn((ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height, ev.clientX - v.left, ev.clientY - v.top);
    };
    win.addEventListener('pointermove', move);
    win.addEventListener('pointerup', end);
    win.addEventListener('pointercancel', end);
  }

  // The keys, while the studio shows the viewer (not in a dialog, not while typing).
  const keys = useRef({ target, byId, before, toggleZoom });
  keys.current = { target, byId, before, toggleZoom };
  useEffect(() => {
    if (view !== 'studio') return;
    const win = viewport.current?.ownerDocument.defaultView ?? window;
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || e.isComposing || modalOpen()) return;
      const k = keys.current;
      // The keys are keymap.ts's entries (the "?" list shows the same ones).
      const step = hitIndex(KEYS.stageStep, e);
      if (step >= 0) {
        if (ownsArrows(e.target)) return;
        e.preventDefault();
        const next = stepPhoto(k.byId, k.target, step === 1 ? 1 : -1);
        if (next) showPhoto(next);
        return;
      }
      if (isTypingTarget(e.target)) return;
      if (hit(KEYS.stageBack, e)) {
        e.preventDefault();
        if (zoomRef.current === 'actual') setZoom('fit');
        else showStart();
      } else if (isKeepKey(e)) {
        const star = viewport.current?.parentElement?.querySelector<HTMLButtonElement>('.stage-bar [data-keep]');
        if (!star) return;
        e.preventDefault();
        star.click();
      } else if (hit(KEYS.stageBefore, e)) {
        if (!k.before) return;
        e.preventDefault();
        if (!e.repeat) setHolding(true);
      } else if (hit(KEYS.stageZoom, e)) {
        e.preventDefault();
        k.toggleZoom();
      }
    }
    function onKeyUp(e: KeyboardEvent) {
      if (isKeyOf(KEYS.stageBefore, e)) setHolding(false);
    }
    const release = () => setHolding(false);
    win.addEventListener('keydown', onKey);
    win.addEventListener('keyup', onKeyUp);
    win.addEventListener('blur', release);
    return () => {
      win.removeEventListener('keydown', onKey);
      win.removeEventListener('keyup', onKeyUp);
      win.removeEventListener('blur', release);
    };
  }, [view]);

  // Another photo, or none to compare with: nothing held any more.
  useEffect(() => setHolding(false), [img?.id, before?.id]);

  const meta = [
    img ? `Photo ${index + 1} of ${Math.max(job.numOutputs, job.images.length)}` : null,
    img ? `${img.width} × ${img.height}` : null,
    typeof job.seed === 'number' ? `seed ${job.seed}` : null,
    strengthText(facts),
  ]
    .filter(Boolean)
    .join(' · ');
  const hold = (on: boolean) => () => setHolding(on);
  const holdKey = (on: boolean) => (e: ReactKeyboardEvent) => {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    if (!on || !e.repeat) setHolding(on);
  };

  return (
    <div className="result-stage" data-testid="result-stage">
      <header className="result-head">
        <div className="result-title">
          <h2 className="result-label" title={job.prompt}>
            {title}
          </h2>
          <p className="result-meta" data-testid="result-meta">
            {meta || (isActive(job) ? 'Generating…' : '')}
          </p>
        </div>
        <div className="result-head-actions">
          {unseen && pick ? (
            <button
              type="button"
              className="chip chip--new"
              onClick={showNewest}
              title="Show the photos that just arrived"
            >
              New photos
            </button>
          ) : null}
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={!saved}
            title={
              saved
                ? 'Open its run in the Gallery: every setting, its folder, delete'
                : 'Its run is in the Gallery once the photos are saved'
            }
            onClick={() => openRun(job.runId)}
          >
            <IconGrid size={13} /> Run details
          </button>
          {img ? (
            <RevealButton
              runId={job.runId}
              assetId={img.id}
              position={index}
              disabled={!saved}
              className="icon-button"
              iconOnly
            />
          ) : null}
          {img ? (
            <StagePhotoTools
              runId={job.runId}
              img={img}
              position={index}
              saved={saved}
              hasPrediction={!!job.predictionId}
            />
          ) : null}
          <button
            type="button"
            className="icon-button"
            aria-label="Close the photo"
            title="Close (Esc)"
            onClick={showStart}
          >
            <IconX size={15} />
          </button>
        </div>
      </header>
      <div
        ref={viewport}
        className={`stage-viewport${img ? '' : ' is-pending'}`}
        data-zoom={zoom}
        data-testid="stage-viewport"
        tabIndex={-1}
        role="group"
        aria-label={
          img
            ? `Photo ${index + 1} of “${job.label || job.prompt}”, large. ${zoom === 'fit' ? 'Click it to see it at 100 %.' : 'Drag to move, click to fit.'}`
            : 'The photo being generated'
        }
        onPointerDown={onPointerDown}
      >
        <div className="stage-content">
          <div ref={frame} className="stage-frame" data-testid="stage-frame">
            {img ? (
              <img
                className="stage-photo"
                src={assetUrl(img.id)}
                alt={`Result ${index + 1} of “${job.prompt || job.label}”`}
                width={img.width}
                height={img.height}
                draggable={false}
                data-testid="stage-photo"
              />
            ) : (
              <Pending job={job} started={started} />
            )}
            {before ? (
              <img
                className="stage-before"
                src={assetUrl(before.id)}
                alt="The starting photo"
                hidden={!holding}
                draggable={false}
                data-testid="stage-before"
              />
            ) : null}
          </div>
        </div>
        {img ? (
          <div className="stage-bar" role="group" aria-label="Photo">
            <div className="stage-zoom" role="group" aria-label="Zoom">
              <button
                type="button"
                aria-pressed={zoom === 'fit'}
                aria-label="Fit"
                title="Fit the whole photo in the stage (Z, Esc)"
                onClick={() => setZoom('fit')}
              >
                Fit{' '}
                <span className="stage-zoom-readout" ref={readout} data-testid="stage-fit-scale" aria-hidden="true" />
              </button>
              <button
                type="button"
                aria-pressed={zoom === 'actual'}
                title="100 %: one photo pixel per screen point (Z, or click the photo)"
                onClick={() => (zoom === 'actual' ? undefined : toggleZoom())}
              >
                100 %
              </button>
            </div>
            {before ? (
              <button
                type="button"
                className="stage-before-button"
                aria-pressed={holding}
                aria-label="Before: hold to see the starting photo"
                title="Hold to see the starting photo in its place (hold B)"
                onPointerDown={(e) => {
                  e.currentTarget.setPointerCapture?.(e.pointerId);
                  setHolding(true);
                }}
                onPointerUp={hold(false)}
                onPointerCancel={hold(false)}
                onLostPointerCapture={hold(false)}
                onKeyDown={holdKey(true)}
                onKeyUp={holdKey(false)}
                onBlur={hold(false)}
                onContextMenu={(e) => e.preventDefault()}
              >
                Before
              </button>
            ) : null}
            {saved ? (
              <KeepButton runId={job.runId} assetId={img.id} position={index} shortcut className="stage-keep" />
            ) : null}
            <button
              type="button"
              className="stage-start"
              title="Start a new photo from this one (paint over what should change)"
              onClick={() =>
                setSource({
                  assetId: img.id,
                  width: img.width,
                  height: img.height,
                  label: `Result ${index + 1} of ${snippet(job.prompt || job.label)}`,
                })
              }
            >
              <IconWand size={13} /> Start from this
            </button>
          </div>
        ) : null}
        {holding ? <span className="stage-tag">Before · the starting photo</span> : null}
        {img && isActive(job) ? (
          <div className="stage-progress">
            <Progress job={job} />
          </div>
        ) : null}
      </div>
      <Filmstrip target={target} />
    </div>
  );
}
