/**
 * The right panel: this session's generations, newest first, fed by `jobs:progress`.
 */
import { useMemo } from 'react';
import { sortedJobs, useJobs } from '../../store/studio';
import { EmptyState, ErrorText } from '../../app/controls';
import { IconImage } from '../../app/icons';
import { JobCard } from './JobCard';

export function ResultsPanel() {
  const byId = useJobs((s) => s.byId);
  const error = useJobs((s) => s.error);
  const jobs = useMemo(() => sortedJobs(byId), [byId]);
  return (
    <aside className="results-panel" aria-label="Results">
      <div className="panel-head">
        <h2 className="section-title">Results</h2>
        {jobs.length ? <span className="muted small">{jobs.length === 1 ? '1 generation' : `${jobs.length} generations`}</span> : null}
      </div>
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      <div className="panel-scroll results-list">
        {jobs.length ? (
          jobs.map((j) => <JobCard key={j.id} job={j} />)
        ) : (
          <EmptyState icon={<IconImage size={28} />} title="No photos yet — write a prompt and press Generate" testId="results-empty">
            Each generation shows up here with its progress. Finished photos are saved to your library and stay in the Gallery.
          </EmptyState>
        )}
      </div>
    </aside>
  );
}
