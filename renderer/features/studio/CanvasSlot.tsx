/**
 * The middle of the studio: the selfie shelf, then the centre. The centre shows one of:
 *  - the newest photo large (results/stage: after Generate, or a result clicked in the results
 *    column), with its filmstrip and before/after;
 *  - the mask editor (canvas-editor.tsx) when a starting photo is chosen (a selfie or a result):
 *    paint where the photo should change, and Generate repaints only there;
 *  - else what to do, honestly.
 * With both a starting photo and a result, a switch above says which one the centre shows, so
 * "viewing a result" and "editing the starting photo" are never confused (results/stage/
 * stage-store.ts has the rules for when it turns by itself).
 */
import { useEffect } from 'react';
import { useSelection, type SourceImage } from './selection-store';
import { EmptyState } from '../../app/controls';
import { IconImage, IconPencil } from '../../app/icons';
import { maskDocFor, registerMaskSession } from '../canvas/mask-session';
import { rasterizeMask } from '../canvas/rasterize';
import { ResultStage } from '../results/stage/ResultStage';
import { showNewest, showResultView, showStart, useStage, useStageTarget } from '../results/stage/stage-store';
import { SelfieShelf } from './SelfieShelf';
import { CanvasEditor } from './canvas-editor';
import '../canvas/canvas.css';
import '../results/stage/stage.css';

/**
 * While the viewer covers the painter, Generate still sends the mask painted on the starting
 * photo: the photo's mask (kept per photo for the session) stays the registered mask session.
 */
function KeepMaskSession({ source }: { source: SourceImage }) {
  const { assetId, width, height } = source;
  useEffect(() => {
    const { doc } = maskDocFor(assetId, width, height);
    return registerMaskSession({
      assetId,
      isEmpty: () => doc.isEmpty(),
      exportMask: () => ({ width: doc.width, height: doc.height, data: rasterizeMask(doc, doc.width, doc.height) }),
    });
  }, [assetId, width, height]);
  return null;
}

/** Which of the two the centre shows: the result, or the starting photo being edited. */
function CentreSwitch({ showing, source }: { showing: boolean; source: SourceImage }) {
  const unseen = useStage((s) => s.unseen);
  return (
    <div className="centre-switch" role="group" aria-label="The centre shows" data-testid="centre-switch">
      <button
        type="button"
        aria-pressed={showing}
        onClick={showResultView}
        title="The newest photo large, with before/after"
      >
        <IconImage size={14} /> Result
        {unseen && !showing ? (
          <span className="centre-switch-new" aria-label="(new photos)">
            new
          </span>
        ) : null}
      </button>
      <button
        type="button"
        aria-pressed={!showing}
        onClick={showStart}
        title={`Paint a mask and set the strength on ${source.label}`}
      >
        <IconPencil size={14} /> Edit the starting photo
      </button>
    </div>
  );
}

export function CanvasSlot() {
  const source = useSelection((s) => s.source);
  const view = useStage((s) => s.view);
  const target = useStageTarget();
  const showing = view === 'result' && !!target;
  // Dropping files is handled by the whole studio (selfie-import.tsx).
  return (
    <section className="canvas-area" aria-label="Canvas">
      <SelfieShelf />
      {source && target ? <CentreSwitch showing={showing} source={source} /> : null}
      <div
        data-testid="canvas-slot"
        data-shows={showing ? 'result' : source ? 'editor' : 'empty'}
        className={`canvas-slot${showing ? ' canvas-slot--result' : source ? ' canvas-slot--editor' : ''}`}
      >
        {showing ? (
          <ResultStage target={target} />
        ) : source ? (
          <CanvasEditor key={`${source.assetId}@${source.width}x${source.height}`} source={source} />
        ) : (
          <EmptyState icon={<IconImage size={32} />} title="Pick a selfie or a result to start from it">
            Or just describe a photo on the left and press Generate.
            {target ? (
              <p className="canvas-empty-action">
                <button type="button" className="button button--small" onClick={showNewest}>
                  <IconImage size={13} /> Show the newest photo
                </button>
              </p>
            ) : null}
          </EmptyState>
        )}
      </div>
      {showing && source ? <KeepMaskSession source={source} /> : null}
    </section>
  );
}
