/**
 * The studio: prompt and parameters on the left, the canvas in the middle, results on the right.
 */
import { PromptPanel } from '../prompt/PromptPanel';
import { ResultsPanel } from '../results/ResultsPanel';
import { CanvasSlot } from './CanvasSlot';

export function StudioView() {
  return (
    <main className="studio" aria-label="Studio" data-testid="studio">
      <h1 className="visually-hidden">Studio</h1>
      <aside className="left-panel" aria-label="Prompt and settings">
        <PromptPanel />
      </aside>
      <CanvasSlot />
      <ResultsPanel />
    </main>
  );
}
