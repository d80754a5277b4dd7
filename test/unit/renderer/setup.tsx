/**
 * Shared set-up for renderer tests: installs a fake bridge, wires the stores like main.tsx does,
 * renders, and resets everything afterwards (stores are module singletons).
 */
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { connectStudio, resetStudioStores } from '../../../renderer/store/studio';
import { resetUiStores } from '../../../renderer/store/ui';
import { resetKeep } from '../../../renderer/features/results/keep';
import { resetStage } from '../../../renderer/features/results/stage/stage-store';
import { resetGallery } from '../../../renderer/features/gallery/gallery-store';
import { resetDeletions } from '../../../renderer/features/gallery/deletion-store';
import { installFakeStudio, type FakeStudio } from './fake-studio';

let disconnect: (() => void) | null = null;

export function startWith(fake: FakeStudio, ui: ReactElement): RenderResult {
  installFakeStudio(fake);
  disconnect = connectStudio();
  return render(ui);
}

export function teardown(): void {
  cleanup();
  disconnect?.();
  disconnect = null;
  resetStudioStores();
  resetUiStores();
  resetKeep();
  resetStage();
  globalThis.localStorage?.removeItem('sseelfie.gallery.autoAdvance');
  resetGallery();
  resetDeletions();
  delete document.documentElement.dataset.theme;
}
