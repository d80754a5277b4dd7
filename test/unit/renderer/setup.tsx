/**
 * Shared set-up for renderer tests: installs a fake bridge, wires the stores like main.tsx does,
 * renders, and resets everything afterwards (stores are module singletons).
 */
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { connectStudio } from '../../../renderer/app/connect-studio';
import { resetStores } from '../../../renderer/app/reset-stores';
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
  globalThis.localStorage?.removeItem('sseelfie.gallery.autoAdvance');
  resetStores();
  delete document.documentElement.dataset.theme;
}
