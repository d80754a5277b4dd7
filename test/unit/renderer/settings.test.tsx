// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useNav } from '../../../renderer/app/nav-store';
import { NO_TOKEN, WITH_TOKEN, createFakeStudio, fail, ok, settingsView } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(teardown);

const DAMAGED = 'Your settings file was damaged; a backup was kept and defaults restored.';

async function openSettings(fake = createFakeStudio({ token: WITH_TOKEN })) {
  const user = userEvent.setup();
  startWith(fake, <App />);
  await user.click(await screen.findByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Settings', level: 1 });
  return { user, fake };
}

describe('settings', () => {
  it('notices from main show as a banner; dismissing calls settings.update({dismissNotices:true}) and hides it', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN, settings: settingsView({ notices: [DAMAGED] }) });
    const user = userEvent.setup();
    startWith(fake, <App />);
    const banner = await screen.findByTestId('notices');
    expect(banner.textContent).toContain(DAMAGED);
    await user.click(within(banner).getByRole('button', { name: 'Dismiss notice' }));
    expect(fake.fn['settings:update']).toHaveBeenCalledWith({ dismissNotices: true });
    await waitFor(() => expect(screen.queryByTestId('notices')).toBeNull());
  });

  it('the banner follows settings:changed events from main', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN });
    startWith(fake, <App />);
    await screen.findByTestId('canvas-slot');
    expect(screen.queryByTestId('notices')).toBeNull();
    act(() =>
      fake.emit(
        'settings:changed',
        settingsView({
          notices: ['Some settings had values the app could not use (theme); they were reset to their defaults.'],
        }),
      ),
    );
    expect((await screen.findByTestId('notices')).textContent).toContain('reset to their defaults');
    act(() => fake.emit('settings:changed', settingsView({ notices: [] })));
    await waitFor(() => expect(screen.queryByTestId('notices')).toBeNull());
  });

  it('shows the account, where the token is kept, the library folder and the current values', async () => {
    await openSettings();
    expect(screen.getByTestId('settings-account').textContent).toContain('Ada Lovelace (@ada)');
    expect(screen.getByText('Stored encrypted in your system keychain.')).toBeTruthy();
    expect(screen.getByText('/Users/ada/Pictures/Sseelfie Studio')).toBeTruthy();
    expect((screen.getByLabelText('Default model') as HTMLInputElement).value).toBe('sandrasocial/sseelfie-ai');
    expect(screen.getByRole('radio', { name: 'System' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('radio', { name: '2' }).getAttribute('aria-checked')).toBe('true');
  });

  it('theme: Dark forces dark on <html>, System lets the OS decide', async () => {
    const { user, fake } = await openSettings();
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(fake.fn['settings:update']).toHaveBeenCalledWith({ theme: 'dark' });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    await user.click(screen.getByRole('radio', { name: 'System' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
  });

  it('library: “Change…” asks main for a folder and shows the new path', async () => {
    const { user, fake } = await openSettings();
    fake.handle('settings:chooseLibrary', () =>
      ok(settingsView({ libraryDir: '/Volumes/Photos/Brand', libraryIsDefault: false })),
    );
    await user.click(screen.getByRole('button', { name: /Change…/ }));
    expect(await screen.findByText('/Volumes/Photos/Brand')).toBeTruthy();
    expect(screen.queryByText('Default')).toBeNull();
  });

  it('a setting main rejects shows its message next to the field', async () => {
    const { user, fake } = await openSettings();
    fake.handle('settings:update', () =>
      fail('invalid_input', 'The request to settings:update was not valid.', [
        { field: 'defaultModel', message: 'Use owner/name or owner/name:version.' },
      ]),
    );
    const model = screen.getByLabelText('Default model');
    await user.clear(model);
    await user.type(model, 'not a model');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Use owner/name or owner/name:version.')).toBeTruthy();
    expect(model.getAttribute('aria-invalid')).toBe('true');
  });

  it('upload retention is checked before it is sent', async () => {
    const { user, fake } = await openSettings();
    const box = screen.getByLabelText('Keep uploads for (minutes)');
    await user.clear(box);
    await user.type(box, '5000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/from 0 to 1440/)).toBeTruthy();
    expect(fake.fn['settings:update']).not.toHaveBeenCalled();
    await user.clear(box);
    await user.type(box, '30');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.fn['settings:update']).toHaveBeenCalledWith({ uploadRetentionMinutes: 30 }));
  });

  it('Remove asks first, then clears the token and offers the form again', async () => {
    const { user, fake } = await openSettings();
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.getByText('Remove the token from this computer?')).toBeTruthy();
    expect(fake.fn['token:clear']).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.fn['token:clear']).toHaveBeenCalled());
    expect(await screen.findByLabelText('Replicate API token')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add API token' })).toBeTruthy();
    // Still in the app (not thrown back to the welcome screen).
    expect(useNav.getState().view).toBe('settings');
  });

  it('Replace shows the token form with Cancel', async () => {
    const { user, fake } = await openSettings();
    fake.handle('token:set', () => ok({ ...WITH_TOKEN, account: { username: 'grace', name: 'Grace Hopper' } }));
    await user.click(screen.getByRole('button', { name: 'Replace…' }));
    await user.type(screen.getByLabelText('Replicate API token'), 'r8_another_token_99999');
    await user.click(screen.getByRole('button', { name: 'Replace token' }));
    expect(await screen.findByText('Token saved.')).toBeTruthy();
    expect(screen.getByTestId('settings-account').textContent).toContain('Grace Hopper (@grace)');
  });

  it('a token from the environment cannot be removed here', async () => {
    await openSettings(createFakeStudio({ token: { ...WITH_TOKEN, storage: 'env' } }));
    expect(screen.getByText(/REPLICATE_API_TOKEN/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
  });

  it('without a token, Settings shows the token form', async () => {
    const user = userEvent.setup();
    startWith(createFakeStudio({ token: NO_TOKEN }), <App />);
    await user.click(await screen.findByRole('button', { name: /Not now/ }));
    await user.click(screen.getByRole('button', { name: 'Add API token' }));
    expect(await screen.findByText(/Add your Replicate API token to generate photos/)).toBeTruthy();
  });
});

describe('navigation', () => {
  it('Cmd/Ctrl+1/2/3 switch views and the current one is marked', async () => {
    const user = userEvent.setup();
    startWith(createFakeStudio({ token: WITH_TOKEN }), <App />);
    await screen.findByTestId('canvas-slot');
    await user.keyboard('{Control>}2{/Control}');
    expect(await screen.findByText('Your gallery is empty')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Gallery' }).getAttribute('aria-current')).toBe('page');
    await user.keyboard('{Meta>}3{/Meta}');
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeTruthy();
    await user.keyboard('{Control>}1{/Control}');
    expect(await screen.findByTestId('canvas-slot')).toBeTruthy();
  });
});
