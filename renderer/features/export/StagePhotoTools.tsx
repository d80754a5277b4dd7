/**
 * Copy, drag out, open on replicate.com and Export for the photo shown large in the studio. A
 * job's photos are known by asset and position; the run's index (what export:* names) is resolved
 * the way the star and Show in folder resolve it (results/keep.ts).
 */
import type { AssetRefT } from '../../../shared/ipc/contract';
import { resolveIndex, useKeep } from '../results/keep';
import { ExportButton } from './ExportDialog';
import { PhotoActions } from './PhotoActions';

export function StagePhotoTools({
  runId,
  img,
  position,
  saved,
  hasPrediction,
}: {
  runId: string;
  img: AssetRefT;
  position: number;
  saved: boolean;
  hasPrediction: boolean;
}) {
  const index = useKeep((s) => resolveIndex(s.runs[runId], img.id, position));
  return (
    <>
      <PhotoActions runId={runId} index={index} disabled={!saved} hasPrediction={hasPrediction} />
      <ExportButton
        items={[{ runId, index, assetId: img.id, width: img.width, height: img.height }]}
        disabled={!saved}
        className="button button--small button--quiet"
      />
    </>
  );
}
