/**
 * Shared set-up for renderer tests: installs a fake bridge, wires the stores like main.tsx does,
 * renders, and resets everything afterwards (stores are module singletons).
 */
import { cleanup, render, screen, within, type RenderResult } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
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

/**
 * Opens the run of the first gallery tile called `label` as a person does: the pointer over the
 * tile, then the "open the run" button that shows on it.
 */
export async function openRunOfTile(user: ReturnType<typeof userEvent.setup>, label: string): Promise<void> {
  const tile = (await screen.findAllByRole('gridcell', { name: new RegExp(`^“${label}”`) }))[0]!;
  await user.hover(tile);
  await user.click(await within(tile).findByRole('button', { name: `Open “${label}”` }));
}
