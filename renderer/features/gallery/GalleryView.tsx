/**
 * The gallery: every saved run from the library (files on disk are the truth; main keeps the
 * index), newest first, searchable by prompt, or only the runs with a kept (starred) photo.
 * Clicking a run opens its page (RunDetail.tsx; the shell shows one or the other).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { RunSummaryT } from '../../../shared/ipc/contract';
import { thumbUrl } from '../../app/client';
import { useLibrary } from './library-store';
import { useNav } from '../../app/nav-store';
import { EmptyState, ErrorText, Spinner } from '../../app/controls';
import { IconGrid, IconSearch } from '../../app/icons';
import { MODE_LABEL, dateLabel } from './run-labels';
import { useKeptCount } from '../results/keep';
import { IconStar } from '../../components/IconStar';
import { PreviousLibraryNotice } from '../library/PreviousLibraryNotice';

function RunTile({ run, onOpen }: { run: RunSummaryT; onOpen(): void }) {
  const cover = run.images[0];
  const kept = useKeptCount(run);
  const keptText = kept ? (kept === run.images.length && kept > 1 ? ', all kept' : `, ${kept} kept`) : '';
  return (
    <li className="run-tile" data-testid="run-tile" data-kept={kept || undefined}>
      <button
        type="button"
        className="run-open"
        onClick={onOpen}
        aria-label={`Open “${run.label || run.prompt}”, ${run.images.length} photos${keptText}, ${dateLabel(run.createdAt)}`}
      >
        <div className="run-cover">
          {cover ? (
            <img src={thumbUrl(cover.id)} alt="" loading="lazy" width={cover.width} height={cover.height} />
          ) : (
            <div className="run-cover-empty">No photos</div>
          )}
          {kept ? (
            <span
              className="run-kept"
              title={kept === 1 ? '1 kept photo' : `${kept} kept photos`}
              data-testid="run-kept"
            >
              <IconStar size={12} filled />
              {run.images.length > 1 ? <span>{kept}</span> : null}
            </span>
          ) : null}
          {run.images.length > 1 ? <span className="run-count">{run.images.length}</span> : null}
        </div>
        <div className="run-meta">
          <p className="run-prompt">{run.label || run.prompt}</p>
          <p className="muted small">
            {dateLabel(run.createdAt)} · {MODE_LABEL[run.mode]}
          </p>
        </div>
      </button>
    </li>
  );
}

export function GalleryView() {
  const runs = useLibrary((s) => s.runs);
  const loaded = useLibrary((s) => s.loaded);
  const error = useLibrary((s) => s.error);
  const query = useLibrary((s) => s.query);
  const setQuery = useLibrary((s) => s.setQuery);
  const keptOnly = useLibrary((s) => s.keptOnly);
  const setKeptOnly = useLibrary((s) => s.setKeptOnly);
  const refresh = useLibrary((s) => s.refresh);
  const openRun = useNav((s) => s.openRun);
  const go = useNav((s) => s.go);
  const [text, setText] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = useId();

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function onSearch(v: string) {
    setText(v);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void setQuery(v), 200);
  }

  return (
    <main className="page gallery" aria-labelledby={`${id}-title`} data-testid="gallery">
      <div className="page-head">
        <h1 id={`${id}-title`} tabIndex={-1}>
          Gallery
        </h1>
        <div className="gallery-tools">
          <div className="search">
            <IconSearch size={15} />
            <input
              type="search"
              className="input"
              placeholder="Search prompts"
              aria-label="Search prompts"
              value={text}
              onChange={(e) => onSearch(e.target.value)}
            />
          </div>
          <button
            type="button"
            className={`filter-toggle${keptOnly ? ' is-on' : ''}`}
            aria-pressed={keptOnly}
            title={keptOnly ? 'Show every run' : 'Show only runs with a kept (starred) photo'}
            onClick={() => void setKeptOnly(!keptOnly)}
          >
            <IconStar size={14} filled={keptOnly} /> Kept only
          </button>
        </div>
      </div>
      <PreviousLibraryNotice />
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      {!loaded ? (
        <div className="page-loading">
          <Spinner label="Loading your library" />
        </div>
      ) : runs.length ? (
        <ul className="run-grid" aria-label="Saved runs">
          {runs.map((r) => (
            <RunTile key={r.id} run={r} onOpen={() => openRun(r.id)} />
          ))}
        </ul>
      ) : keptOnly ? (
        <EmptyState
          icon={<IconStar size={28} />}
          title={
            query.trim()
              ? `No kept photos match “${query.trim()}”`
              : 'Nothing kept yet — star the photos you want to use'
          }
          testId="gallery-kept-empty"
        >
          <p>
            {query.trim()
              ? 'Try another word from the prompt, or show every run.'
              : 'Press the star on a photo (in the results, a run or the comparison) to keep it. Kept photos are listed here.'}
          </p>
          <button type="button" className="button" onClick={() => void setKeptOnly(false)}>
            Show all runs
          </button>
        </EmptyState>
      ) : query.trim() ? (
        <EmptyState icon={<IconSearch size={28} />} title={`Nothing matches “${query.trim()}”`}>
          Try another word from the prompt.
        </EmptyState>
      ) : (
        <EmptyState icon={<IconGrid size={28} />} title="Your gallery is empty" testId="gallery-empty">
          <p>Every photo you generate is saved here, with the settings that made it.</p>
          <button type="button" className="button button--primary" onClick={() => go('studio')}>
            Go to the Studio
          </button>
        </EmptyState>
      )}
    </main>
  );
}
