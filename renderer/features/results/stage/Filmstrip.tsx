import { thumbUrl } from '../../../app/client';
import { isActive, useJobs } from '../jobs-store';
import { IconArrowLeft, IconChevron } from '../../../app/icons';
import { ratio } from '../../../components/photo-card';
import { showPhoto, stepPhoto, type StageTarget } from './stage-store';

/** The run's photos (and the ones still to come); ‹ › reach the neighbouring runs. */
export function Filmstrip({ target }: { target: StageTarget }) {
  const { job, index } = target;
  const byId = useJobs((s) => s.byId);
  const newer = stepPhoto(byId, { job, index: 0 }, -1);
  const older = stepPhoto(byId, { job, index: job.images.length - 1 }, 1);
  const pending = isActive(job) ? Math.max(0, job.numOutputs - job.images.length) : 0;
  const first = job.images[0];
  if (job.images.length + pending <= 1 && !newer && !older) return null;
  return (
    <nav className="filmstrip" aria-label="Photos of this run" data-testid="filmstrip">
      <button
        type="button"
        className="filmstrip-run"
        disabled={!newer}
        aria-label="The newer run"
        title="The newer run (←)"
        onClick={() => newer && showPhoto(newer)}
      >
        <IconArrowLeft size={14} />
      </button>
      <ol className="filmstrip-list">
        {job.images.map((im, i) => (
          <li key={im.id}>
            <button
              type="button"
              className="filmstrip-item"
              aria-current={i === index ? 'true' : undefined}
              aria-label={`Photo ${i + 1} of ${Math.max(job.numOutputs, job.images.length)}`}
              title={`Photo ${i + 1} (← →)`}
              style={{ aspectRatio: ratio(im) }}
              onClick={() => showPhoto({ jobId: job.id, assetId: im.id })}
            >
              <img src={thumbUrl(im.id)} alt="" draggable={false} />
            </button>
          </li>
        ))}
        {Array.from({ length: pending }, (_, i) => (
          <li key={`p${i}`} aria-hidden="true">
            <span
              className="filmstrip-item filmstrip-item--pending"
              style={first ? { aspectRatio: ratio(first) } : undefined}
            />
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="filmstrip-run"
        disabled={!older}
        aria-label="The older run"
        title="The older run (→)"
        onClick={() => older && showPhoto(older)}
      >
        <IconChevron size={14} />
      </button>
    </nav>
  );
}
