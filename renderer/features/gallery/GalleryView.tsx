/**
 * The gallery: every photo of the library, culled the way photographers already work (Lightroom's
 * Library module). Views: Grid (G), Loupe (E: one photo large, filmstrip below) and Compare (C:
 * the selected 2–4 in the comparison). Keys: P Pick, X Reject, U Unflag, 0–5 stars, on the whole
 * selection in the grid and on the photo shown in the loupe, optionally moving on after each
 * (auto-advance, remembered). Filter chips with counts come from main's index (`library:query`);
 * "Delete rejected…" is a separate step with a confirm and an undo bar.
 */
import { useCallback, useEffect, useId, useMemo, useRef } from 'react';
import { isActive, sortedJobs, useJobs } from '../results/jobs-store';
import { events } from '../../app/client';
import { COMPARE_MAX, useCompare } from '../compare/compare-store';
import { useNav } from '../../app/nav-store';
import { useShortcutsHelp } from '../shortcuts/shortcuts-help-store';
import { useToasts } from '../../app/toasts-store';
import { EmptyState, ErrorText, Spinner, Switch, isTypingTarget, modalOpen } from '../../app/controls';
import { IconColumns, IconGrid, IconSearch } from '../../app/icons';
import { PreviousLibraryNotice } from '../library/PreviousLibraryNotice';
import { applyFlag, applyRating } from '../results/keep';
import { advanceAfter, cullAction, type CullAction } from './cull-keys';
import { DeleteRejectedButton, UndoBars } from './DeleteRejected';
import { FilterBar, SearchBox } from './FilterBar';
import { GalleryGrid, type Placeholder } from './GalleryGrid';
import { Loupe } from './Loupe';
import { loadDeletions, receiveDeletion } from './deletion-store';
import {
  clearFilter,
  imageOf,
  isFiltered,
  libraryChanged,
  parseKey,
  refreshGallery,
  setActual,
  setAutoAdvance,
  setSelection,
  setView,
  useGallery,
} from './gallery-store';
import { clickSelect, moveActive, selectAll, targets, type ClickMods } from './selection';
import './gallery.css';

/** Photos still being made, shown first while the grid is unfiltered and newest first. */
function usePlaceholders(show: boolean): Placeholder[] {
  const byId = useJobs((s) => s.byId);
  return useMemo(() => {
    if (!show) return [];
    const out: Placeholder[] = [];
    for (const job of sortedJobs(byId)) {
      if (!isActive(job)) continue;
      const first = job.images[0];
      const ratio = first ? first.width / first.height : 1;
      for (let i = 0; i < Math.max(1, job.numOutputs); i++)
        out.push({ key: `${job.id}:${i}`, label: job.label || job.prompt, ratio });
    }
    return out;
  }, [byId, show]);
}

/** Puts the photos into the comparison (2–4 of them) and opens it. */
function compareKeys(keys: readonly string[]): void {
  const toast = useToasts.getState().show;
  if (keys.length < 2 || keys.length > COMPARE_MAX) {
    toast(`Select 2 to ${COMPARE_MAX} photos to compare (${keys.length} selected).`, 'info');
    return;
  }
  const records = useGallery.getState().records;
  const items = keys.map((k) => imageOf(records, k));
  if (items.some((x) => !x)) {
    toast('These photos are still loading. Try again in a moment.', 'info');
    return;
  }
  const compare = useCompare.getState();
  compare.clear();
  for (const found of items) {
    const { run, image } = found!;
    compare.toggle({
      id: image.id,
      runId: run.id,
      width: image.width,
      height: image.height,
      index: image.index,
      of: run.images.length,
      prompt: run.prompt,
      seed: run.seed,
    });
  }
  compare.setOpen(true);
}

export function GalleryView() {
  const keys = useGallery((s) => s.keys);
  const loaded = useGallery((s) => s.loaded);
  const error = useGallery((s) => s.error);
  const filter = useGallery((s) => s.filter);
  const sort = useGallery((s) => s.sort);
  const view = useGallery((s) => s.view);
  const counts = useGallery((s) => s.counts);
  const autoAdvance = useGallery((s) => s.autoAdvance);
  const selectedCount = useGallery((s) => s.sel.selected.size);
  const go = useNav((s) => s.go);
  const id = useId();
  const cols = useRef(1);
  const filtered = isFiltered(filter);
  const placeholders = usePlaceholders(!filtered && sort === 'newest' && view === 'grid');

  useEffect(() => {
    void refreshGallery();
    void loadDeletions();
    const ev = events();
    const offs = [ev.library.onChanged((e) => libraryChanged(e)), ev.library.onDeletion((e) => receiveDeletion(e))];
    return () => {
      for (const off of offs) off();
    };
  }, []);

  const onPick = useCallback((key: string, mods: ClickMods) => {
    const s = useGallery.getState();
    setSelection(clickSelect(s.sel, s.keys, key, mods));
  }, []);
  const onOpen = useCallback((key: string) => {
    const s = useGallery.getState();
    setSelection(clickSelect(s.sel, s.keys, key));
    setView('loupe');
  }, []);
  const onStrip = useCallback((key: string) => {
    const s = useGallery.getState();
    setSelection(clickSelect(s.sel, s.keys, key));
  }, []);
  const onColumns = useCallback((n: number) => {
    cols.current = n;
  }, []);

  const run = useCallback((a: CullAction) => {
    const s = useGallery.getState();
    const list = s.keys;
    // The loupe's keys apply to the photo shown; the grid's to the selection.
    const on = s.view === 'loupe' ? (s.sel.active ? [s.sel.active] : []) : targets(s.sel, list);
    switch (a.type) {
      case 'flag':
      case 'rate': {
        if (!on.length) return;
        const refs = on.map(parseKey);
        void (a.type === 'flag' ? applyFlag(refs, a.flag) : applyRating(refs, a.rating));
        const next = s.autoAdvance ? advanceAfter(list, s.sel.active, on.length) : null;
        if (next) setSelection(clickSelect(s.sel, list, next));
        return;
      }
      case 'view':
        if (a.view === 'compare') compareKeys(targets(s.sel, list));
        else {
          if (a.view === 'loupe' && !s.sel.active && list[0]) setSelection(clickSelect(s.sel, list, list[0]));
          setView(a.view);
        }
        return;
      case 'move': {
        const delta = s.view === 'grid' ? a.dx + a.dy * cols.current : a.dx;
        setSelection(moveActive(s.sel, list, delta, a.extend));
        return;
      }
      case 'selectAll':
        setSelection(selectAll(s.sel, list));
        return;
      case 'open':
        if (s.sel.active) setView('loupe');
        return;
      case 'zoom':
        setActual(!s.actual);
        return;
      case 'back':
        if (s.view === 'loupe') setView('grid');
        else if (s.sel.selected.size) setSelection({ selected: new Set(), anchor: null, active: s.sel.active });
        return;
    }
  }, []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || modalOpen() || useShortcutsHelp.getState().open || isTypingTarget(e.target)) return;
      const s = useGallery.getState();
      const a = cullAction(e, s.view);
      if (!a) return;
      const t = e.target as HTMLElement | null;
      // Space and Enter on a focused button press it; arrows on a select or a range move it.
      if ((e.key === ' ' || e.key === 'Enter') && t?.closest?.('button, a, select')) return;
      if (a.type === 'move' && t?.closest?.('select, input')) return;
      if (a.type === 'back' && !(s.view === 'loupe' || s.sel.selected.size)) return;
      e.preventDefault();
      run(a);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const total = counts?.flag.any ?? 0;
  const empty = loaded && !keys.length && !placeholders.length;
  return (
    <main className="page gallery gallery--cull" aria-labelledby={`${id}-title`} data-testid="gallery" data-view={view}>
      <div className="page-head gallery-head">
        <h1 id={`${id}-title`} tabIndex={-1}>
          Gallery
        </h1>
        <div className="gallery-views" role="group" aria-label="View">
          <button
            type="button"
            className={`cull-chip${view === 'grid' ? ' is-on' : ''}`}
            aria-pressed={view === 'grid'}
            title="Grid (G)"
            onClick={() => run({ type: 'view', view: 'grid' })}
          >
            <IconGrid size={14} /> Grid
          </button>
          <button
            type="button"
            className={`cull-chip${view === 'loupe' ? ' is-on' : ''}`}
            aria-pressed={view === 'loupe'}
            title="Loupe: one photo large (E)"
            disabled={!keys.length}
            onClick={() => run({ type: 'view', view: 'loupe' })}
          >
            <IconSearch size={14} /> Loupe
          </button>
          <button
            type="button"
            className="cull-chip"
            title="Compare the selected photos, 2 to 4 (C)"
            disabled={selectedCount < 2 || selectedCount > COMPARE_MAX}
            onClick={() => run({ type: 'view', view: 'compare' })}
          >
            <IconColumns size={14} /> Compare
          </button>
        </div>
        <div className="gallery-tools">
          <SearchBox />
          <label className="auto-advance" title="After P, X, U or a star, go to the next photo">
            <Switch checked={autoAdvance} onChange={setAutoAdvance} label="Auto-advance" />
            <span aria-hidden="true">Auto-advance</span>
          </label>
          <DeleteRejectedButton rejected={counts?.flag.reject ?? 0} />
        </div>
      </div>
      <FilterBar />
      <p className="gallery-status muted small" aria-live="polite" data-testid="gallery-status">
        {loaded
          ? `${keys.length.toLocaleString()} ${keys.length === 1 ? 'photo' : 'photos'}${filtered ? ` of ${total.toLocaleString()} shown by the other filters` : ''}${selectedCount > 1 ? ` · ${selectedCount.toLocaleString()} selected` : ''}`
          : ''}
      </p>
      <PreviousLibraryNotice />
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      {!loaded ? (
        <div className="page-loading">
          <Spinner label="Loading your library" />
        </div>
      ) : empty && filtered ? (
        <EmptyState
          icon={<IconSearch size={28} />}
          title={filter.flag === 'pick' && !filter.search ? 'Nothing picked yet' : 'No photo matches these filters'}
          testId="gallery-filtered-empty"
        >
          <p>
            {filter.flag === 'pick'
              ? 'Press P (or the star) on a photo to pick it; picked photos are listed here.'
              : 'Try another word from the prompt, or clear a filter.'}
          </p>
          <button type="button" className="button" onClick={() => void clearFilter()}>
            Show every photo
          </button>
        </EmptyState>
      ) : empty ? (
        <EmptyState icon={<IconGrid size={28} />} title="Your gallery is empty" testId="gallery-empty">
          <p>Every photo you generate is saved here, with the settings that made it.</p>
          <button type="button" className="button button--primary" onClick={() => go('studio')}>
            Go to the Studio
          </button>
        </EmptyState>
      ) : view === 'loupe' ? (
        <Loupe keys={keys} onPick={onStrip} />
      ) : (
        <GalleryGrid keys={keys} placeholders={placeholders} onPick={onPick} onOpen={onOpen} onColumns={onColumns} />
      )}
      <UndoBars />
    </main>
  );
}
