/**
 * The comparison's smaller controls: the zoom buttons and readout (their own components, so a
 * wheel zoom re-renders only these, never the photos, which view-sync.ts moves directly), and
 * Reject and the stars (cull-actions.ts).
 */
import { useCallback, useSyncExternalStore } from 'react';
import { CULL_CAPS, setFlag, setRating, useCullState } from './cull-actions';
import { ZOOM_STEP, type ViewSync } from './view-sync';

export const pressed = (on: boolean) => (on ? 'true' : 'false');

/** What the view says about itself, re-read when it changes (at most once a frame). */
function useViewReadout(sync: ViewSync): { label: string; zoomed: boolean; actual: boolean } {
  const subscribe = useCallback((fn: () => void) => sync.subscribe(fn), [sync]);
  const text = useSyncExternalStore(
    subscribe,
    () => `${sync.label()}|${sync.zoomed() ? 1 : 0}|${sync.view.actual ? 1 : 0}`,
  );
  const [label, zoomed, actual] = text.split('|');
  return { label: label!, zoomed: zoomed === '1', actual: actual === '1' };
}

/**
 * The zoom buttons and readout: their own component, so a wheel zoom re-renders only these,
 * never the photos (which view-sync.ts moves directly).
 */
export function ZoomTools({ sync }: { sync: ViewSync }) {
  const { label: zoomText, actual } = useViewReadout(sync);
  return (
    <div className="compare-tools">
      <button
        type="button"
        className="button button--small"
        aria-label="Zoom out"
        title="Zoom out (−)"
        onClick={() => sync.zoomBy(1 / ZOOM_STEP)}
      >
        −
      </button>
      <output className="compare-zoom mono" aria-label="Zoom" data-testid="compare-zoom">
        {zoomText}
      </output>
      <button
        type="button"
        className="button button--small"
        aria-label="Zoom in"
        title="Zoom in (+)"
        onClick={() => sync.zoomBy(ZOOM_STEP)}
      >
        +
      </button>
      <button
        type="button"
        className="button button--small"
        aria-pressed={pressed(zoomText === 'Fit')}
        title="Show each photo whole (0)"
        onClick={() => sync.fit()}
      >
        Fit
      </button>
      <button
        type="button"
        className="button button--small"
        aria-pressed={pressed(actual)}
        title="One image pixel per screen pixel (Z, 1 or Space)"
        onClick={() => sync.toggleActual()}
      >
        1:1
      </button>
    </div>
  );
}

export function ZoomHint({ sync }: { sync: ViewSync }) {
  const { zoomed } = useViewReadout(sync);
  return (
    <span className="compare-hint muted small" aria-live="polite">
      {zoomed ? 'Drag or use the arrow keys to look around' : ''}
    </span>
  );
}

/** Reject and the 0–5 stars (CULL_CAPS); Pick is the star button beside them. */
export function CullExtras({
  runId,
  assetId,
  position,
  kept,
}: {
  runId: string;
  assetId: string;
  position: number;
  kept: boolean;
}) {
  const { index, flag, rating, busy } = useCullState(runId, assetId, position, kept);
  if (!CULL_CAPS.reject && !CULL_CAPS.rating) return null;
  return (
    <>
      {CULL_CAPS.reject ? (
        <button
          type="button"
          className="button button--small"
          aria-pressed={flag === 'reject'}
          title="Reject (X); press again to unflag"
          data-cull-reject=""
          disabled={busy}
          onClick={() => void setFlag(runId, index, flag === 'reject' ? null : 'reject')}
        >
          Reject
        </button>
      ) : null}
      {CULL_CAPS.rating ? (
        <span role="radiogroup" aria-label="Rating" className="compare-rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={rating === n}
              aria-label={`${n} star${n > 1 ? 's' : ''}`}
              disabled={busy}
              onClick={() => void setRating(runId, index, rating === n ? 0 : n)}
            >
              {(rating ?? 0) >= n ? '★' : '☆'}
            </button>
          ))}
        </span>
      ) : null}
    </>
  );
}
