/**
 * The middle of the studio: the selfie shelf, then the canvas. With a starting photo chosen (a
 * selfie or a result) the slot is the mask editor (canvas-editor.tsx): paint where the photo
 * should change, and Generate repaints only there. Without one it says honestly what to do.
 */
import { useSelection } from '../../store/ui';
import { EmptyState } from '../../app/controls';
import { IconImage } from '../../app/icons';
import { SelfieShelf } from './SelfieShelf';
import { CanvasEditor } from './canvas-editor';
import '../../styles/canvas.css';

export function CanvasSlot() {
  const source = useSelection((s) => s.source);
  // Dropping files is handled by the whole studio (selfie-import.tsx).
  return (
    <section className="canvas-area" aria-label="Canvas">
      <SelfieShelf />
      <div data-testid="canvas-slot" className={`canvas-slot${source ? ' canvas-slot--editor' : ''}`}>
        {source ? (
          <CanvasEditor key={`${source.assetId}@${source.width}x${source.height}`} source={source} />
        ) : (
          <EmptyState icon={<IconImage size={32} />} title="Pick a selfie or a result to start from it">
            Or just describe a photo on the left and press Generate.
          </EmptyState>
        )}
      </div>
    </section>
  );
}
