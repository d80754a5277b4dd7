/**
 * One generation as a card: its state in words, step N of M with a bar, Cancel while it runs,
 * what went wrong and what to do when it fails, and the saved photos once they are on disk.
 */
import { useEffect } from 'react';
import type { JobViewT } from '../../../shared/ipc/contract';
import { assetUrl } from '../../app/client';
import { isActive, isStuck, useJobs } from './jobs-store';
import { useDraft } from '../params/draft-store';
import { useNav } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { ErrorText, Spinner, useAction } from '../../app/controls';
import { IconAlert, IconCheck, IconGear, IconGrid, IconLock, IconWand, IconX } from '../../app/icons';
import { ensureRun, useKeep } from './keep';
import { retryAdvice, tryAgain } from './retry';
import { showPhoto, useStage } from './stage/stage-store';
import { strengthText, useRunFacts } from './facts';
import { KeepButton, keepShortcut } from '../../components/KeepButton';
import { CompareCheck } from '../../components/CompareCheck';
import { reuseSeed } from '../../components/reuse-seed';
import { hasOwnLabel, ratio, snippet } from '../../components/photo-card';
import './stage/stage.css';

export const STATE_LABEL: Record<JobViewT['state'], string> = {
  queued: 'Waiting to start',
  preparing: 'Preparing your photo',
  submitted: 'Sent to Replicate',
  running: 'Generating',
  downloading: 'Saving to your library',
  saved: 'Saved',
  failed: 'Failed',
  canceled: 'Canceled',
  lost: 'Lost',
};

function timeLabel(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function Progress({ job }: { job: JobViewT }) {
  const p = job.progress;
  const determinate = job.state === 'running' && p && p.total > 0;
  const pct = determinate ? Math.max(0, Math.min(100, Math.round(p.percent))) : undefined;
  let text: string;
  if (job.state === 'running' && p && p.total > 0) {
    text = `Step ${p.step} of ${p.total}`;
    if (p.etaSec !== undefined && p.etaSec > 0) text += ` · about ${Math.ceil(p.etaSec)} s left`;
  } else if (job.state === 'queued') text = 'Waiting for a free slot…';
  else if (job.state === 'preparing') text = 'Preparing the starting photo…';
  else if (job.state === 'submitted') text = 'Waiting for Replicate to start (a cold start can take a minute)…';
  else if (job.state === 'downloading') text = 'Downloading and saving the photos…';
  else text = 'Starting the model…';
  return (
    <div className="job-progress">
      <div className="progress-text">
        <span>{text}</span>
        {pct !== undefined ? <span className="progress-pct">{pct}%</span> : null}
      </div>
      <div
        className={`progress${determinate ? '' : ' progress--indeterminate'}`}
        role="progressbar"
        aria-label={`Progress of “${job.label || job.prompt}”`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={determinate ? { width: `${pct}%` } : undefined} />
      </div>
    </div>
  );
}

/** What a failed card offers: Try again where it can help, else the place to fix it. */
function FailedActions({
  job,
  busy,
  act,
}: {
  job: JobViewT;
  busy: boolean;
  act(fn: () => Promise<unknown>): Promise<void>;
}) {
  const req = useJobs((s) => s.requests[job.id]);
  const go = useNav((s) => s.go);
  const setPrompt = useDraft((s) => s.setPrompt);
  const advice = retryAdvice(job, req);
  if (advice.kind === 'none') return null;
  if (advice.kind === 'settings') {
    return (
      <div className="job-actions">
        <button type="button" className="button button--small" onClick={() => go('settings')}>
          <IconGear size={13} /> Open Settings
        </button>
      </div>
    );
  }
  if (advice.kind === 'by-hand') {
    return (
      <div className="job-actions">
        <p className="muted small">
          Its settings were not kept after the restart: put its prompt back and press Generate to try again.
        </p>
        <button type="button" className="button button--small" onClick={() => setPrompt(job.prompt)}>
          Use this prompt
        </button>
      </div>
    );
  }
  return (
    <div className="job-actions">
      {advice.hint ? <p className="muted small">{advice.hint}</p> : null}
      <div className="job-actions-row">
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          title="Start the same request again, as a new generation"
          onClick={() => void act(() => tryAgain(job))}
        >
          Try again
        </button>
        {advice.fewer ? (
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={busy}
            title="The same request with 1 photo instead of several: it needs less memory"
            onClick={() => void act(() => tryAgain(job, { num_outputs: 1 }))}
          >
            With 1 photo
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** "From a photo · strength 0.75" under an img2img or inpainting card. */
function StrengthLine({ job }: { job: JobViewT }) {
  const started = useStage((s) => s.started[job.id]);
  const text = strengthText(useRunFacts(job, started, { needBefore: false }));
  return text ? (
    <p className="job-mode" data-testid="job-strength">
      {text}
    </p>
  ) : null;
}

export function JobCard({
  job,
  shownId = null,
}: {
  job: JobViewT;
  /** the photo the studio's centre shows */ shownId?: string | null;
}) {
  const cancel = useJobs((s) => s.cancel);
  const dismiss = useJobs((s) => s.dismiss);
  const retry = useJobs((s) => s.retry);
  const setSource = useSelection((s) => s.setSource);
  const openRun = useNav((s) => s.openRun);
  const { busy, error: actionError, run: act } = useAction();
  const active = isActive(job);
  const stuck = isStuck(job);
  // The run is in the library once the job is saved: its flags and stars are asked of main.
  const saved = job.state === 'saved' && job.images.length > 0;
  const runKnown = useKeep((s) => !!s.runs[job.runId]);
  useEffect(() => {
    if (saved && !runKnown) ensureRun(job.runId);
  }, [saved, runKnown, job.runId]);
  const tone =
    job.state === 'saved'
      ? 'ok'
      : job.state === 'failed' || job.state === 'lost' || stuck
        ? 'error'
        : job.state === 'canceled'
          ? 'muted'
          : 'busy';

  const pending = active ? Math.max(0, job.numOutputs - job.images.length) : 0;
  // Slots still to come take the run's shape (all photos of a run share one size).
  const first = job.images[0];
  const pendingRatio = first ? ratio(first) : undefined;
  return (
    <article
      className={`job-card job-card--${tone}`}
      aria-label={`${STATE_LABEL[job.state]}: ${job.label || job.prompt}`}
      data-testid="job-card"
      data-state={job.state}
    >
      <header className="job-head">
        <span className={`state-pill state-pill--${tone}`}>
          {tone === 'ok' ? (
            <IconCheck size={13} />
          ) : tone === 'error' ? (
            <IconAlert size={13} />
          ) : tone === 'busy' ? (
            <Spinner />
          ) : null}
          {stuck ? 'Stopped' : STATE_LABEL[job.state]}
        </span>
        <span className="job-time">{timeLabel(job.createdAt)}</span>
        {active ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => void act(() => cancel(job.id))}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="icon-button"
            aria-label="Remove from this list"
            title="Remove from this list (the photos stay in your Gallery)"
            disabled={busy}
            onClick={() => void act(() => dismiss(job.id))}
          >
            <IconX size={14} />
          </button>
        )}
      </header>
      {hasOwnLabel(job) ? <p className="job-title">{job.label}</p> : null}
      <p className="job-prompt" title={job.prompt}>
        {job.prompt || job.label}
      </p>
      <StrengthLine job={job} />
      {active ? <Progress job={job} /> : null}
      {job.status ? <p className="job-status">{job.status}</p> : null}
      {job.error && (job.state === 'failed' || job.state === 'lost' || stuck) ? (
        <ErrorText>{job.error.message}</ErrorText>
      ) : null}
      {stuck ? (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => void act(() => retry(job.id))}
        >
          Try again
        </button>
      ) : null}
      <FailedActions job={job} busy={busy} act={act} />
      {job.state === 'canceled' ? <p className="muted small">Canceled. Nothing more will be billed for it.</p> : null}
      {job.warnings.map((w) => (
        <p className="job-warning" key={w}>
          <IconAlert size={13} /> {w}
        </p>
      ))}
      {actionError ? <ErrorText>{actionError}</ErrorText> : null}
      {job.images.length || pending ? (
        <div className={`thumbs thumbs--${Math.min(4, job.images.length + pending)}`}>
          {job.images.map((img, i) => (
            // K stars the photo whose controls have the focus, as in the run page and Compare.
            <figure
              className={`thumb${img.id === shownId ? ' is-shown' : ''}`}
              key={img.id}
              onKeyDown={keepShortcut}
              style={{ aspectRatio: ratio(img) }}
            >
              <CompareCheck
                item={{
                  id: img.id,
                  runId: job.runId,
                  width: img.width,
                  height: img.height,
                  index: i,
                  of: job.images.length,
                  prompt: job.prompt || job.label,
                  seed: job.seed ?? null,
                }}
                label={`Compare photo ${i + 1} of “${job.label || job.prompt}”`}
              />
              {saved ? <KeepButton runId={job.runId} assetId={img.id} position={i} shortcut /> : null}
              {/* Shown large in the studio's centre (the run's page is "Details" below). */}
              <button
                type="button"
                className="thumb-open"
                onClick={() => showPhoto({ jobId: job.id, assetId: img.id }, { focus: true })}
                aria-label={`Show photo ${i + 1} large`}
                aria-current={img.id === shownId ? 'true' : undefined}
                title="Show it large in the studio"
              >
                <img
                  src={assetUrl(img.id)}
                  alt={`Result ${i + 1} of “${job.prompt}”`}
                  width={img.width}
                  height={img.height}
                  loading="lazy"
                />
              </button>
              <button
                type="button"
                className="thumb-action"
                title="Start a new photo from this one"
                onClick={() =>
                  setSource({
                    assetId: img.id,
                    width: img.width,
                    height: img.height,
                    label: `Result ${i + 1} of ${snippet(job.prompt || job.label)}`,
                  })
                }
              >
                <IconWand size={13} /> Start from this
              </button>
            </figure>
          ))}
          {Array.from({ length: pending }, (_, i) => (
            <div
              className="thumb thumb--pending"
              key={`p${i}`}
              aria-hidden="true"
              style={pendingRatio ? { aspectRatio: pendingRatio } : undefined}
            />
          ))}
        </div>
      ) : null}
      {job.state === 'saved' ? (
        <footer className="job-foot">
          {typeof job.seed === 'number' ? (
            <>
              <span className="job-seed" title="The seed Replicate used">
                Seed <span className="mono">{job.seed}</span>
              </span>
              <button type="button" className="link-button" onClick={() => reuseSeed(job.seed!)}>
                <IconLock size={12} /> Reuse this seed
              </button>
            </>
          ) : null}
          <button
            type="button"
            className="link-button link-button--muted job-details"
            onClick={() => openRun(job.runId)}
            title="Open its run in the Gallery: every setting, its folder, delete"
          >
            <IconGrid size={12} /> Details
          </button>
        </footer>
      ) : null}
    </article>
  );
}
