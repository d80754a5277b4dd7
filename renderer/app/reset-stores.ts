/**
 * For tests: every slice back to a blank slate (the stores are module singletons). Each feature
 * keeps its own reset beside its store; this is the one call that runs them all.
 */
import { resetNav } from './nav-store';
import { resetToasts } from './toasts-store';
import { resetToken } from '../features/welcome/token-store';
import { resetSettings } from '../features/settings/settings-store';
import { resetModel } from '../features/params/model-store';
import { resetDraft } from '../features/params/draft-store';
import { resetPresets } from '../features/params/presets-store';
import { resetJobs } from '../features/results/jobs-store';
import { resetKeep } from '../features/results/keep';
import { resetStage } from '../features/results/stage/stage-store';
import { resetGallery } from '../features/gallery/gallery-store';
import { resetDeletions } from '../features/gallery/deletion-store';
import { resetSelfies } from '../features/studio/selfies-store';
import { resetSelection } from '../features/studio/selection-store';
import { resetPrompts } from '../features/prompt/prompts-store';
import { resetCompare } from '../features/compare/compare-store';
import { resetShortcutsHelp } from '../features/shortcuts/shortcuts-help-store';
import { resetPreviousLibrary } from '../features/library/previous-library-store';
import { resetNetwork } from '../features/network/network-store';
import { resetTraining } from '../features/training/training-store';
import { resetTrainings } from '../features/training/trainings-store';
import { useCanvasStore } from '../features/canvas/canvas-store';
import { resetMaskSession } from '../features/canvas/mask-session';

export function resetStores(): void {
  resetToken();
  resetSettings();
  resetModel();
  resetJobs();
  resetGallery();
  resetDeletions();
  resetSelfies();
  resetPrompts();
  resetPresets();
  resetPreviousLibrary();
  resetCompare();
  resetShortcutsHelp();
  resetToasts();
  resetNav();
  resetSelection();
  resetDraft();
  resetKeep();
  resetStage();
  resetNetwork();
  resetTraining();
  resetTrainings();
  useCanvasStore.getState().resetCanvasUi();
  resetMaskSession();
}
