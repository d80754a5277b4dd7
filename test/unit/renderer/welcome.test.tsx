// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useToken } from '../../../renderer/features/welcome/token-store';
import { NO_TOKEN, WITH_TOKEN, createFakeStudio, fail, ok, settingsView } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(teardown);

const REJECTED =
  'Replicate did not accept this API token. Open Settings → API token and paste a current token from replicate.com/account/api-tokens.';

describe('welcome (first start)', () => {
  it('shows what the app does and a token form when there is no token', async () => {
    startWith(createFakeStudio(), <App />);
    expect(await screen.findByRole('heading', { name: 'Welcome to Sseelfie Studio' })).toBeTruthy();
    expect(screen.getByText(/brand photos of yourself/)).toBeTruthy();
    const input = screen.getByLabelText('Replicate API token') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect((screen.getByRole('button', { name: 'Save and connect' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a good token: token.set gets it, the account is shown, then the studio opens', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    fake.handle('token:set', () => ok(WITH_TOKEN));
    startWith(fake, <App />);
    await user.type(await screen.findByLabelText('Replicate API token'), 'r8_good_token_123456');
    await user.click(screen.getByRole('button', { name: 'Save and connect' }));
    expect(await screen.findByText('Connected as Ada Lovelace (@ada)')).toBeTruthy();
    expect(screen.getByText('Stored encrypted in your system keychain.')).toBeTruthy();
    expect(fake.fn['token:set']).toHaveBeenCalledWith({ token: 'r8_good_token_123456' });
    await user.click(screen.getByRole('button', { name: 'Open the studio' }));
    expect(await screen.findByTestId('canvas-slot')).toBeTruthy();
    expect(screen.getByText('No photos yet — write a prompt and press Generate')).toBeTruthy();
  });

  it('a rejected token (401): the message shows, the form stays, nothing is stored', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    fake.handle('token:set', () => fail('unauthenticated', REJECTED));
    startWith(fake, <App />);
    const input = await screen.findByLabelText('Replicate API token');
    await user.type(input, 'r8_wrong_token_000000');
    await user.click(screen.getByRole('button', { name: 'Save and connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Replicate did not accept this API token');
    expect(screen.getByRole('heading', { name: 'Welcome to Sseelfie Studio' })).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // The typed token stays so it can be corrected, and can be sent again.
    expect((screen.getByRole('button', { name: 'Save and connect' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByText(/Connected as/)).toBeNull();
    expect(useToken.getState().status).toEqual(NO_TOKEN);
    expect(screen.queryByTestId('canvas-slot')).toBeNull();
  });

  it('shows main’s field message for a malformed token', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    fake.handle('token:set', () =>
      fail('invalid_input', 'That does not look like a Replicate API token.', [
        { field: 'token', message: 'Paste the whole token, without spaces.' },
      ]),
    );
    startWith(fake, <App />);
    await user.type(await screen.findByLabelText('Replicate API token'), 'abc def ghi');
    await user.click(screen.getByRole('button', { name: 'Save and connect' }));
    expect(await screen.findByText('That does not look like a Replicate API token.')).toBeTruthy();
    expect(screen.getByText('Paste the whole token, without spaces.')).toBeTruthy();
  });

  it('show/hide toggles the password field', async () => {
    const user = userEvent.setup();
    startWith(createFakeStudio(), <App />);
    const input = (await screen.findByLabelText('Replicate API token')) as HTMLInputElement;
    await user.click(screen.getByRole('button', { name: 'Show token' }));
    expect(input.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide token' }));
    expect(input.type).toBe('password');
  });

  it('the link asks main to open the token page on replicate.com', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: /Get your token at replicate\.com/ }));
    expect(fake.fn['app:openExternal']).toHaveBeenCalledWith({ url: 'https://replicate.com/account/api-tokens' });
  });

  it('no keychain: explains it and sends allowPlaintext only when “Remember it anyway” is ticked', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: { ...NO_TOKEN, insecureBackend: true } });
    fake.handle('token:set', (req: { allowPlaintext?: boolean }) =>
      ok({ ...WITH_TOKEN, storage: req.allowPlaintext ? 'plaintext' : 'session', insecureBackend: true }),
    );
    startWith(fake, <App />);
    expect(await screen.findByText(/This computer has no keychain/)).toBeTruthy();
    expect(screen.getByText(/kept in memory until you quit/)).toBeTruthy();
    await user.type(screen.getByLabelText('Replicate API token'), 'r8_good_token_123456');
    await user.click(screen.getByLabelText('Remember it anyway (stored without encryption)'));
    await user.click(screen.getByRole('button', { name: 'Save and connect' }));
    expect(fake.fn['token:set']).toHaveBeenCalledWith({ token: 'r8_good_token_123456', allowPlaintext: true });
    expect(await screen.findByText(/Stored on this computer without encryption/)).toBeTruthy();
  });

  it('Advanced: sets the API base URL through settings.update, with main’s message inline', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: 'Advanced' }));
    const url = screen.getByLabelText('API base URL') as HTMLInputElement;
    await waitFor(() => expect(url.value).toBe('https://api.replicate.com/v1'));

    fake.handle('settings:update', () =>
      fail('invalid_input', 'The request to settings:update was not valid.', [
        { field: 'apiBaseUrl', message: 'Invalid URL' },
      ]),
    );
    await user.clear(url);
    await user.type(url, 'nonsense');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Invalid URL Use a full address/)).toBeTruthy();

    fake.handle('settings:update', (req: { apiBaseUrl: string }) => ok(settingsView({ apiBaseUrl: req.apiBaseUrl })));
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:5555/v1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Saved\. New requests go to this address/)).toBeTruthy();
    expect(fake.fn['settings:update']).toHaveBeenLastCalledWith({ apiBaseUrl: 'http://127.0.0.1:5555/v1' });
  });

  it('a new API address refreshes the token status; a token kept for another server is explained, not used', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: 'Advanced' }));
    const url = screen.getByLabelText('API base URL') as HTMLInputElement;
    fake.handle('settings:update', (req: { apiBaseUrl: string }) => ok(settingsView({ apiBaseUrl: req.apiBaseUrl })));
    fake.handle('token:status', () => ok({ ...NO_TOKEN, tokenHost: 'api.replicate.com' }));
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:5555/v1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('token-elsewhere')).textContent).toMatch(
      /belongs to api\.replicate\.com.*not sent here/,
    );
  });

  it('main’s “not changed” (the person said no in the system dialog) is shown as it is', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: 'Advanced' }));
    const url = screen.getByLabelText('API base URL') as HTMLInputElement;
    fake.handle('settings:update', () =>
      fail('canceled', 'The API address was not changed, and your token was not sent to 127.0.0.1:5555.'),
    );
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:5555/v1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/not changed, and your token was not sent/)).toBeTruthy();
  });

  it('an address set by REPLICATE_BASE_URL is shown but cannot be edited', async () => {
    const user = userEvent.setup();
    startWith(
      createFakeStudio({ settings: settingsView({ apiBaseUrl: 'http://127.0.0.1:8765/v1', apiBaseFromEnv: true }) }),
      <App />,
    );
    await user.click(await screen.findByRole('button', { name: 'Advanced' }));
    const url = screen.getByLabelText('API base URL') as HTMLInputElement;
    await waitFor(() => expect(url.value).toBe('http://127.0.0.1:8765/v1'));
    expect(url.disabled).toBe(true);
    expect(screen.getByText(/Set by REPLICATE_BASE_URL for this session/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Use Replicate' })).toBeNull();
  });

  it('“Not now” opens the studio, where Generate explains that a token is needed', async () => {
    const user = userEvent.setup();
    startWith(createFakeStudio(), <App />);
    await user.click(await screen.findByRole('button', { name: /Not now/ }));
    expect(await screen.findByText('Add your Replicate API token in Settings to generate.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('with a token already stored, the studio opens directly', async () => {
    startWith(createFakeStudio({ token: WITH_TOKEN }), <App />);
    expect(await screen.findByTestId('canvas-slot')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Welcome to Sseelfie Studio' })).toBeNull();
  });
});
