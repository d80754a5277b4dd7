/**
 * The studio: prompt and parameters on the left, the canvas in the middle, results on the right.
 * Photos dropped on it, or pasted, go to the selfie shelf; a photo dropped on the prompt column
 * restores the settings embedded in it instead (export/RestoreBanner.tsx). Its first Tab stop is
 * a skip link to the Results column (visible when it has the focus), past the prompt and canvas.
 */
import { PromptPanel } from '../prompt/PromptPanel';
import { RESULTS_ID, ResultsPanel } from '../results/ResultsPanel';
import { CanvasSlot } from './CanvasSlot';
import { DropOverlay, usePasteSelfies, useStudioDrop } from './selfie-import';
import { SETTINGS_DROP, SettingsDropZone } from '../export/RestoreBanner';

export function StudioView() {
  const drop = useStudioDrop();
  usePasteSelfies(true);
  return (
    <main
      className={`studio${drop.over ? ' is-dropping' : ''}`}
      aria-label="Studio"
      data-testid="studio"
      {...drop.props}
    >
      <h1 className="visually-hidden" tabIndex={-1}>
        Studio
      </h1>
      <a
        className="skip-link"
        href={`#${RESULTS_ID}`}
        onClick={(e) => {
          e.preventDefault();
          document.getElementById(RESULTS_ID)?.focus();
        }}
      >
        Skip to results
      </a>
      <aside className="left-panel" aria-label="Prompt and settings" {...SETTINGS_DROP}>
        <PromptPanel />
        {drop.over ? <SettingsDropZone /> : null}
      </aside>
      <CanvasSlot />
      <ResultsPanel />
      {drop.over ? <DropOverlay /> : null}
    </main>
  );
}
