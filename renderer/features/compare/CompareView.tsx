/**
 * Compare (issue 11): 2 to 4 photos from one run or across runs, and the starting photo when the
 * runs began from one, with one synchronised zoom and pan (view-sync.ts), 1:1 and fit; for two
 * photos an A/B wipe and a flicker; swap; full screen; the parameter diff beside them; and what
 * can be done with each photo (pick or reject it, rate it, reuse its seed, start from it, open its run).
 * Settings come from each run's record in the library (`library.get`).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { assetUrl } from '../../app/client';
import { useModel } from '../params/model-store';
import { useCompare, type CompareItem } from './compare-store';
import { useToasts } from '../../app/toasts-store';
import { Modal, isTypingTarget } from '../../app/controls';
import { IconColumns, IconImage } from '../../app/icons';
import { fieldTitle } from '../params/logic';
import { keepShortcut } from '../../components/KeepButton';
import { ZoomHint, ZoomTools, pressed } from './CompareTools';
import { clampWipe, type Size } from './compare-view-state';
import { compareRows } from './diff';
import { DiffPanel } from './DiffPanel';
import { ViewSync, ZOOM_STEP } from './view-sync';
import { Pane, StackImages, SyncedImage, startWipeDrag } from './CompareImages';
import { CompareCaption, LETTERS } from './CompareCaption';
import { useRuns } from './useRuns';
import './compare.css';

/** Shorter titles for the diff's narrow columns. */
const SHORT: Record<string, string> = {
  lora_scale: 'LoRA scale',
  extra_lora_scale: 'Extra LoRA scale',
  prompt_strength: 'Strength',
  num_inference_steps: 'Steps',
  guidance_scale: 'Guidance',
};
/** The flicker shows each photo this long, so a difference jumps out without a blink in between. */
export const FLICKER_MS = 600;

type Mode = 'side' | 'wipe' | 'flicker';

/** The two-photo layouts, in toolbar order. */
const LAYOUTS: ReadonlyArray<{ mode: Mode; label: string; title: string }> = [
  { mode: 'side', label: 'Side by side', title: 'Side by side' },
  { mode: 'wipe', label: 'Wipe', title: 'A on the left, B on the right of a line you move (W)' },
  { mode: 'flicker', label: 'Flicker', title: 'A and B in turn, in one place (F)' },
];

export function CompareView() {
  const open = useCompare((s) => s.open);
  const items = useCompare((s) => s.items);
  if (!open || items.length < 2) return null;
  return <CompareModal items={items} />;
}

function CompareModal({ items }: { items: CompareItem[] }) {
  const setOpen = useCompare((s) => s.setOpen);
  const toast = useToasts((s) => s.show);
  const fields = useModel((s) => s.info?.fields);
  const modelRef = useModel((s) => s.info?.ref);
  const runs = useRuns(items);
  const sync = useMemo(() => new ViewSync(), []);
  useEffect(() => () => sync.dispose(), [sync]);
  const two = items.length === 2;
  const [modeWanted, setMode] = useState<Mode>('side');
  const mode: Mode = two ? modeWanted : 'side';
  const [showSource, setShowSource] = useState(true);
  const [active, setActive] = useState(0);
  const [full, setFull] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const wipeEl = useRef<HTMLDivElement>(null);
  const wipeInput = useRef<HTMLInputElement>(null);

  const defaultsFor = (run: RunDetailT): Record<string, unknown> =>
    fields && modelRef && run.modelRef.split(':')[0] === modelRef.split(':')[0]
      ? Object.fromEntries(fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]))
      : {};
  const title = (k: string) => {
    if (SHORT[k]) return SHORT[k];
    const f = fields?.find((x) => x.name === k);
    return f ? fieldTitle(f) : k.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  };
  const detailOf = (it: CompareItem) => {
    const r = runs[it.runId];
    return r && r !== 'missing' ? r : null;
  };
  const rows = compareRows(
    items.map((it) => {
      const run = detailOf(it);
      return { width: it.width, height: it.height, seed: it.seed, run, defaults: run ? defaultsFor(run) : {} };
    }),
    title,
  );
  // The starting photos of runs made from one (img2img, inpainting), each once.
  const sources = [
    ...new Map(
      items
        .map((it) => detailOf(it)?.source)
        .filter((s) => !!s)
        .map((s) => [s!.id, s!]),
    ).values(),
  ];
  const withSources = mode === 'side' && showSource && sources.length > 0;

  useEffect(() => {
    const on = () => {
      setFull(document.fullscreenElement === root.current && !!root.current);
      // The panes changed size: the ResizeObserver redraws them.
    };
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  useEffect(() => () => void (document.fullscreenElement && document.exitFullscreen?.().catch(() => {})), []);

  // The flicker alternates A and B by writing the pane's attribute directly (no re-render).
  useEffect(() => {
    if (mode !== 'flicker') return;
    const el = wipeEl.current;
    let showing: 'a' | 'b' = 'a';
    el?.setAttribute('data-showing', showing);
    const t = setInterval(() => {
      showing = showing === 'a' ? 'b' : 'a';
      el?.setAttribute('data-showing', showing);
    }, FLICKER_MS);
    return () => clearInterval(t);
  }, [mode]);

  const close = () => setOpen(false);
  const toggleFull = () => {
    const el = root.current;
    if (!el) return;
    if (document.fullscreenElement) {
      void document.exitFullscreen().catch(() => {});
      return;
    }
    if (!el.requestFullscreen) {
      toast('Full screen is not available here.', 'error');
      return;
    }
    el.requestFullscreen().catch((e: unknown) =>
      toast(`Full screen did not open: ${e instanceof Error ? e.message : String(e)}`, 'error'),
    );
  };
  /** S: the active photo trades places with A (with A active, A and B trade). */
  const swap = () => {
    const i = active > 0 && active < items.length ? active : 1;
    const next = [...items];
    [next[0], next[i]] = [next[i]!, next[0]!];
    useCompare.setState({ items: next });
    setActive(0);
  };
  const setWipe = (x: number) => {
    const v = clampWipe(x);
    wipeEl.current?.style.setProperty('--wipe', String(v));
    if (wipeInput.current && Number(wipeInput.current.value) !== Math.round(v * 100))
      wipeInput.current.value = String(Math.round(v * 100));
  };
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && document.fullscreenElement) {
      // Esc leaves full screen first; a second Esc closes the comparison.
      e.preventDefault();
      e.stopPropagation();
      void document.exitFullscreen().catch(() => {});
      return;
    }
    if (e.metaKey || e.ctrlKey || e.altKey || e.defaultPrevented || isTypingTarget(e.target)) return;
    const t = e.target as HTMLElement;
    const onControl = !!t.closest?.('button, a, input');
    const onRange = t instanceof HTMLInputElement && t.type === 'range';
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    let done = true;
    if (key === '+' || key === '=') sync.zoomBy(ZOOM_STEP);
    else if (key === '-' || key === '_') sync.zoomBy(1 / ZOOM_STEP);
    else if (key === '0') sync.fit();
    else if (key === '1') sync.actual();
    else if (key === 'z' || (key === ' ' && !onControl)) sync.toggleActual();
    else if (arrows[key] && !onRange) done = sync.panBy(...arrows[key]);
    else if (key === 'w' && two) setMode((m) => (m === 'wipe' ? 'side' : 'wipe'));
    else if (key === 'f' && two) setMode((m) => (m === 'flicker' ? 'side' : 'flicker'));
    else if (key === 's') swap();
    else if ((key === 'Enter' && !onControl) || key === 'F11') toggleFull();
    else if (key === 'p' || key === 'x') {
      const item = root.current?.querySelectorAll('.compare-item')[active];
      item?.querySelector<HTMLButtonElement>(key === 'p' ? '[data-keep]' : '[data-cull-reject]')?.click();
    } else done = false;
    if (done) e.preventDefault();
  }

  const photoAlt = (it: CompareItem, i: number) => `Photo ${LETTERS[i]}: ${it.prompt}`;
  const size = (it: CompareItem): Size => ({ width: it.width, height: it.height });

  const figure = (it: CompareItem, i: number, body: ReactNode) => (
    <figure
      className={`compare-item${active === i ? ' is-active' : ''}`}
      key={it.id}
      data-testid="compare-item"
      onKeyDown={keepShortcut}
      onFocus={() => setActive(i)}
      onPointerEnter={() => setActive(i)}
    >
      {body}
    </figure>
  );

  return (
    <Modal
      title={`Compare ${items.length} photos`}
      subtitle="Scroll or pinch to zoom, drag to pan: every photo follows. Keys: + − zoom · 0 fit · Z 1:1 · W wipe · F flicker · S swap · Enter full screen"
      onClose={close}
      className="compare"
      testId="compare"
    >
      <div
        ref={root}
        className={`compare-root${full ? ' is-full' : ''}`}
        data-mode={mode}
        data-count={items.length}
        onKeyDown={onKeyDown}
        tabIndex={-1}
        data-autofocus=""
        data-testid="compare-root"
      >
        <div className="compare-toolbar" role="toolbar" aria-label="Comparison view">
          <ZoomTools sync={sync} />
          {two ? (
            <div className="compare-tools" role="group" aria-label="Layout">
              {LAYOUTS.map((l) => (
                <button
                  key={l.mode}
                  type="button"
                  className="button button--small"
                  aria-pressed={pressed(mode === l.mode)}
                  // a second press of Wipe or Flicker goes back to side by side
                  onClick={() => setMode(mode === l.mode ? 'side' : l.mode)}
                  title={l.title}
                >
                  {l.mode === 'side' ? <IconColumns size={13} /> : null}
                  {l.label}
                </button>
              ))}
            </div>
          ) : null}
          <div className="compare-tools">
            <button
              type="button"
              className="button button--small"
              onClick={swap}
              title={two ? 'Swap A and B (S)' : 'Swap the active photo with A (S)'}
            >
              Swap
            </button>
            {sources.length && mode === 'side' ? (
              <button
                type="button"
                className="button button--small"
                aria-pressed={pressed(showSource)}
                onClick={() => setShowSource((v) => !v)}
                title="Show the photo the runs started from"
              >
                <IconImage size={13} /> Starting photo
              </button>
            ) : null}
            <button
              type="button"
              className="button button--small"
              aria-pressed={pressed(full)}
              onClick={toggleFull}
              title="Full screen (Enter); Esc leaves it"
            >
              {full ? 'Exit full screen' : 'Full screen'}
            </button>
          </div>
          <ZoomHint sync={sync} />
        </div>
        <div className="compare-layout">
          {mode === 'side' ? (
            <div
              className="compare-grid"
              style={{ ['--cols' as string]: items.length + (withSources ? sources.length : 0) }}
            >
              {items.map((it, i) =>
                figure(
                  it,
                  i,
                  <>
                    <Pane label={`Photo ${LETTERS[i]}`} tag={LETTERS[i]}>
                      <SyncedImage sync={sync} src={assetUrl(it.id)} alt={photoAlt(it, i)} size={size(it)} rank={i} />
                    </Pane>
                    <CompareCaption it={it} i={i} detail={detailOf(it)} run={runs[it.runId]} />
                  </>,
                ),
              )}
              {withSources
                ? sources.map((s, j) => (
                    <figure
                      className="compare-item compare-item--source"
                      key={`source:${s.id}`}
                      data-testid="compare-source"
                    >
                      <Pane label="Starting photo" tag="Start">
                        <SyncedImage
                          sync={sync}
                          src={assetUrl(s.id)}
                          alt="The starting photo"
                          size={{ width: s.width, height: s.height }}
                          rank={10 + j}
                        />
                      </Pane>
                      <div className="compare-caption">
                        <p className="compare-prompt">
                          <strong>Starting photo</strong>
                        </p>
                        <p className="muted small">
                          {s.width} × {s.height} · what the {sources.length > 1 ? 'run' : 'runs'} began from
                        </p>
                      </div>
                    </figure>
                  ))
                : null}
            </div>
          ) : (
            <div className="compare-stack">
              <div
                ref={wipeEl}
                className={`compare-pane compare-pane--${mode}`}
                data-testid={`compare-${mode}`}
                role="group"
                aria-label={mode === 'wipe' ? 'A and B, wiped' : 'A and B in turn'}
                style={{ ['--wipe' as string]: 0.5 }}
              >
                <StackImages sync={sync} a={items[0]!} b={items[1]!} alt={photoAlt} />
                {mode === 'wipe' ? (
                  <>
                    <span
                      className="compare-wipe-line"
                      aria-hidden="true"
                      data-no-pan=""
                      onPointerDown={(e) => startWipeDrag(e, wipeEl.current, setWipe)}
                    />
                    <span className="compare-tag">A</span>
                    <span className="compare-tag compare-tag--right">B</span>
                  </>
                ) : (
                  <span className="compare-tag compare-flicker-tag" />
                )}
              </div>
              {mode === 'wipe' ? (
                <label className="compare-wipe-range">
                  <span className="small muted">A</span>
                  <input
                    ref={wipeInput}
                    type="range"
                    min={0}
                    max={100}
                    defaultValue={50}
                    aria-label="Wipe position"
                    onInput={(e) => setWipe(Number(e.currentTarget.value) / 100)}
                  />
                  <span className="small muted">B</span>
                </label>
              ) : null}
              <div className="compare-grid" style={{ ['--cols' as string]: 2 }}>
                {items.map((it, i) =>
                  figure(it, i, <CompareCaption it={it} i={i} detail={detailOf(it)} run={runs[it.runId]} />),
                )}
              </div>
            </div>
          )}
          <DiffPanel items={items} rows={rows} runs={runs} letters={LETTERS} />
        </div>
      </div>
    </Modal>
  );
}
