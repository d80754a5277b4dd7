/**
 * A training as it runs and after: its state in words, the bar from the trainer's logs, elapsed
 * time, time left and cost, Cancel (confirmed: what ran is billed), Retry after a platform fault,
 * each failure in main's words. When it succeeds: "Use it in the studio" and the first test photo
 * the new model made by itself. Below, the trainings before it.
 */
import { useState } from 'react';
import type { TrainingViewT } from '../../../shared/ipc/contract';
import { ErrorText, Spinner } from '../../app/controls';
import { IconAlert, IconCheck, IconSparkles } from '../../app/icons';
import { assetUrl } from '../../app/client';
import { useJobs } from '../results/jobs-store';
import { useNav } from '../../app/nav-store';
import { chooseModel } from '../params/model-choice';
import { isRunning, progressWords, trainingLine, usd } from './train-logic';
import { useTrainings } from './trainings-store';

function FirstPhoto({ v }: { v: TrainingViewT }) {
  const job = useJobs((s) => (v.firstPhoto?.jobId ? s.byId[v.firstPhoto.jobId] : undefined));
  const openRun = useNav((s) => s.openRun);
  if (!v.firstPhoto) return null;
  if (v.firstPhoto.error)
    return (
      <p className="muted small" data-testid="first-photo">
        The first test photo could not start: {v.firstPhoto.error}
      </p>
    );
  const image = job?.images[0];
  const runId = v.firstPhoto.runId;
  return (
    <div className="training-first-photo" data-testid="first-photo">
      {image ? (
        <button
          type="button"
          className="training-first-thumb"
          title="Open this run in the gallery"
          onClick={() => runId && openRun(runId)}
        >
          <img src={assetUrl(image.id)} alt={`First test photo of ${v.destination}`} width={96} height={96} />
        </button>
      ) : (
        <div className="training-first-thumb is-pending">
          {job?.state === 'failed' ? <IconAlert size={18} /> : <Spinner />}
        </div>
      )}
      <div>
        <p className="training-first-title">First test photo</p>
        <p className="muted small">
          {job?.state === 'failed'
            ? (job.error?.message ?? 'It could not be made.')
            : image
              ? `“a professional headshot of ${v.triggerWord}…”, saved in your library.`
              : `Making “a professional headshot of ${v.triggerWord}…” with your new model…`}
        </p>
        {runId ? (
          <button type="button" className="link-button" onClick={() => openRun(runId)}>
            Open in the gallery
          </button>
        ) : null}
      </div>
    </div>
  );
}

function CancelButton({ id }: { id: string }) {
  const cancel = useTrainings((s) => s.cancel);
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="button button--small" onClick={() => setAsking(true)}>
        Cancel…
      </button>
    );
  return (
    <div className="training-confirm" role="group" aria-label="Cancel the training?">
      <span className="small">Cancel the training? The time it has run is billed; nothing is kept.</span>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => {
          setAsking(false);
          void cancel(id);
        }}
      >
        Cancel training
      </button>
      <button type="button" className="button button--small" onClick={() => setAsking(false)}>
        Keep training
      </button>
    </div>
  );
}

export function TrainingCard({ v }: { v: TrainingViewT }) {
  const retry = useTrainings((s) => s.retry);
  const models = useTrainings((s) => s.models);
  const go = useNav((s) => s.go);
  const [useError, setUseError] = useState<string | null>(null);
  const w = progressWords(v);
  const model = models.find((m) => m.ref === v.modelRef);
  return (
    <section
      className={`training-card training-card--${v.state}`}
      data-testid="training-card"
      data-state={v.state}
      aria-label={`Training of ${v.destination}`}
    >
      <div className="training-card-head">
        {v.state === 'succeeded' ? (
          <IconCheck size={16} />
        ) : v.state === 'failed' ? (
          <IconAlert size={16} />
        ) : isRunning(v) ? (
          <Spinner />
        ) : null}
        <h3 data-testid="training-state">{w.title}</h3>
        <span className="muted small">{trainingLine(v)}</span>
      </div>
      {w.status ? (
        <p className="small training-status" role="status">
          {w.status}
        </p>
      ) : null}
      {v.state !== 'canceled' ? (
        <div
          className={`progress${w.percent === null ? ' progress--indeterminate' : ''}`}
          role="progressbar"
          aria-label="Training progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={w.percent ?? undefined}
          data-testid="training-bar"
        >
          <div className="progress-fill" style={w.percent === null ? undefined : { width: `${w.percent}%` }} />
        </div>
      ) : null}
      {w.facts.length ? (
        <p className="small training-facts" data-testid="training-facts">
          {w.percent !== null && isRunning(v) ? <strong>{w.percent}% · </strong> : null}
          {w.facts.join(' · ')}
        </p>
      ) : null}
      {w.error ? <ErrorText>{w.error}</ErrorText> : null}
      <div className="training-card-actions">
        {w.canCancel ? <CancelButton id={v.id} /> : null}
        {w.canRetry ? (
          <button type="button" className="button button--small button--primary" onClick={() => void retry(v.id)}>
            Retry
          </button>
        ) : null}
        {v.state === 'succeeded' && v.modelRef ? (
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() =>
              void chooseModel(v.modelRef!, model ?? { triggerWord: v.triggerWord })
                .then(() => go('studio'))
                .catch((e: unknown) => setUseError(e instanceof Error ? e.message : String(e)))
            }
          >
            <IconSparkles size={14} /> Use it in the studio
          </button>
        ) : null}
      </div>
      {useError ? <ErrorText>{useError}</ErrorText> : null}
      {v.state === 'succeeded' ? <FirstPhoto v={v} /> : null}
    </section>
  );
}

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function PastTrainings({ list }: { list: TrainingViewT[] }) {
  if (!list.length) return null;
  return (
    <section className="training-history" aria-label="Earlier trainings" data-testid="training-history">
      <h2>Earlier trainings</h2>
      <ul>
        {list.map((v) => {
          const w = progressWords(v);
          return (
            <li key={v.id} data-state={v.state}>
              <span className={`training-history-state tone-${v.state}`}>{w.title}</span>
              <span>{v.destination}</span>
              <span className="muted small">
                {when(v.createdAt)} · {v.photos} photos · {v.triggerWord}
                {v.cost ? ` · ${usd(v.cost.usd)}` : ''}
              </span>
              {w.error ? <span className="muted small training-history-error">{w.error}</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
