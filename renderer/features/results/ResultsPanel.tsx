/**
 * The right panel: this session's generations, newest first, fed by `jobs:progress`. A click on a
 * photo shows it large in the studio's centre; photos can be ticked (2 to 4) to compare them
 * side by side.
 */
import { useMemo } from 'react';
import { sortedJobs, useJobs } from './jobs-store';
import { COMPARE_MAX, useCompare } from '../compare/compare-store';
import { EmptyState, ErrorText } from '../../app/controls';
import { IconColumns, IconImage } from '../../app/icons';
import { JobCard } from './JobCard';
import { useShownPhotoId } from './stage/stage-store';
import './results.css';

export function CompareBar() {
  const n = useCompare((s) => s.items.length);
  const setOpen = useCompare((s) => s.setOpen);
  const clear = useCompare((s) => s.clear);
  if (!n) return null;
  return (
    <div className="compare-bar" role="region" aria-label="Comparison" data-testid="compare-bar">
      <span className="compare-count">
        {n} of {COMPARE_MAX} selected
      </span>
      <button type="button" className="link-button link-button--muted" onClick={clear}>
        Clear
      </button>
      <button
        type="button"
        className="button button--small button--primary"
        disabled={n < 2}
        title={n < 2 ? 'Select at least 2 photos' : undefined}
        onClick={() => setOpen(true)}
      >
        <IconColumns size={14} /> Compare
      </button>
    </div>
  );
}

/** The column's id: the studio's "Skip to results" link moves the focus here. */
export const RESULTS_ID = 'studio-results';

export function ResultsPanel() {
  const byId = useJobs((s) => s.byId);
  const error = useJobs((s) => s.error);
  const jobs = useMemo(() => sortedJobs(byId), [byId]);
  const anySaved = jobs.some((j) => j.images.length > 0);
  const shownId = useShownPhotoId();
  return (
    <aside className="results-panel" aria-label="Results" id={RESULTS_ID} tabIndex={-1}>
      <div className="panel-head">
        <h2 className="section-title">Results</h2>
        {jobs.length ? (
          <span className="muted small">{jobs.length === 1 ? '1 generation' : `${jobs.length} generations`}</span>
        ) : null}
      </div>
      <CompareBar />
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      <div className="panel-scroll results-list">
        {jobs.length ? (
          <>
            {jobs.map((j) => (
              <JobCard key={j.id} job={j} shownId={shownId} />
            ))}
            {anySaved ? (
              <p className="results-tip muted small">
                Click a photo to see it large; tick 2 to 4 to compare them side by side.
              </p>
            ) : null}
          </>
        ) : (
          <EmptyState
            icon={<IconImage size={28} />}
            title="No photos yet — write a prompt and press Generate"
            testId="results-empty"
          >
            Each generation shows up here with its progress. Finished photos are saved to your library and stay in the
            Gallery.
          </EmptyState>
        )}
      </div>
    </aside>
  );
}
