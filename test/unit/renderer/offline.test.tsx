// @vitest-environment happy-dom
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App';
import { WITH_TOKEN, createFakeStudio, ok } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(teardown);

describe('offline banner', () => {
  it('says once that Replicate cannot be reached while main reports offline, and goes away when it is back', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN });
    startWith(fake, <App />);
    await screen.findByTestId('canvas-slot');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => fake.emit('network:changed', { online: false, since: Date.now() }));
    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent).toMatch(/Offline.*jobs continue when the connection returns/);
    expect(screen.getAllByTestId('offline-banner')).toHaveLength(1);
    act(() => fake.emit('network:changed', { online: true, since: Date.now() }));
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
  });

  it('shows the banner at start when main is already offline', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('network:status', () => ok({ online: false, since: 1 }));
    startWith(fake, <App />);
    expect(await screen.findByTestId('offline-banner')).toBeTruthy();
  });
});
