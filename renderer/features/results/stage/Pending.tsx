import type { JobViewT } from '../../../../shared/ipc/contract';
import { assetUrl } from '../../../app/client';
import { isActive } from '../jobs-store';
import { Progress } from '../JobCard';
import type { StartedWith } from './stage-store';

/** A photo still being made: its frame at the size it will have, the starting photo dimmed. */
export function Pending({ job, started }: { job: JobViewT; started: StartedWith | undefined }) {
  return (
    <div className="stage-pending" data-testid="stage-pending">
      {started?.base ? (
        <img className="stage-pending-base" src={assetUrl(started.base.assetId)} alt="" draggable={false} />
      ) : null}
      <div className="stage-pending-card">{isActive(job) ? <Progress job={job} /> : <p>No photo was saved.</p>}</div>
    </div>
  );
}
