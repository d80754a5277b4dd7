/**
 * Under each compared photo: its letter, prompt and seed, and what can be done with it (keep it,
 * reuse its seed, start from it, open its run, take it out of the comparison).
 */
import type { RunDetailT } from '../../../shared/ipc/contract';
import { useCompare, type CompareItem } from './compare-store';
import { useNav } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { IconGrid, IconLock, IconWand, IconX } from '../../app/icons';
import { reuseSeed } from '../../components/reuse-seed';
import { hasOwnLabel, snippet } from '../../components/photo-card';
import { KeepButton } from '../../components/KeepButton';
import { CullExtras } from './CompareTools';

export const LETTERS = ['A', 'B', 'C', 'D'];

export function CompareCaption({
  it,
  i,
  detail,
  run,
}: {
  it: CompareItem;
  /** its place in the comparison: A, B, … */
  i: number;
  /** its run, once main has sent it */
  detail: RunDetailT | null;
  run: RunDetailT | 'missing' | undefined;
}) {
  const setOpen = useCompare((s) => s.setOpen);
  const remove = useCompare((s) => s.remove);
  const clear = useCompare((s) => s.clear);
  const setSource = useSelection((s) => s.setSource);
  const openRun = useNav((s) => s.openRun);
  const go = useNav((s) => s.go);
  const close = () => setOpen(false);
  /** As on the run page and the result stage: the photo becomes the studio's starting photo. */
  const startFrom = (it: CompareItem) => {
    setSource({
      assetId: it.id,
      width: it.width,
      height: it.height,
      label: `Photo ${it.index + 1} of ${snippet(it.prompt)}`,
    });
    clear();
    go('studio');
  };

  const seed = detail?.seed ?? it.seed;
  return (
    <div className="compare-caption">
      <div className="compare-caption-head">
        <span className="compare-letter" aria-hidden="true">
          {LETTERS[i]}
        </span>
        <p className="compare-prompt" title={detail?.prompt ?? it.prompt}>
          {detail && hasOwnLabel(detail) ? <strong>{detail.label} · </strong> : null}
          {snippet(detail?.prompt ?? it.prompt, 90)}
        </p>
        <button
          type="button"
          className="compare-remove"
          aria-label={`Remove photo ${LETTERS[i]} from the comparison`}
          title="Remove from the comparison"
          onClick={() => remove(it.id)}
        >
          <IconX size={13} />
        </button>
      </div>
      <p className="compare-seed muted small">
        Seed <span className="mono">{typeof seed === 'number' ? seed : '—'}</span>
        {it.of > 1 ? ` · photo ${it.index + 1} of ${it.of}` : ''}
      </p>
      <div className="compare-actions">
        {run !== 'missing' ? (
          <KeepButton
            runId={it.runId}
            assetId={it.id}
            position={it.index}
            kept={detail?.images.find((im) => im.id === it.id)?.flag === 'pick'}
            shortcut
          />
        ) : null}
        {/* Pick is the star; Reject and the stars beside it (cull-actions.ts). */}
        {run !== 'missing' ? (
          <CullExtras
            runId={it.runId}
            assetId={it.id}
            position={it.index}
            kept={detail?.images.find((im) => im.id === it.id)?.flag === 'pick'}
          />
        ) : null}
        {typeof seed === 'number' ? (
          <button type="button" className="button button--small" onClick={() => reuseSeed(seed)}>
            <IconLock size={13} /> Reuse this seed
          </button>
        ) : null}
        <button type="button" className="button button--small" onClick={() => startFrom(it)}>
          <IconWand size={13} /> Start from this
        </button>
        <button
          type="button"
          className="link-button"
          title="Open its run in the Gallery"
          onClick={() => {
            close();
            openRun(it.runId);
          }}
        >
          <IconGrid size={12} /> Open in Gallery
        </button>
      </div>
    </div>
  );
}
