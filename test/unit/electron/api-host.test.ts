/**
 * Who receives the token: the API address decides, so changing it is main's decision, confirmed
 * by the person outside the renderer, and the kept token stays with the server it was checked on.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/app-services';
import { dispatch } from '../../../electron/ipc-dispatch';
import { ReplicateGateway } from '../../../electron/services/replicate/gateway';
import { MemoryCipher } from '../../../electron/services/settings/token-vault';
import type { InvokeChannel } from '../../../shared/ipc/channels';
import { sim, tmpDir } from './jobs/harness';

const TOKEN = 'r8_kept_token_0123456789';
const open: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function twoServers() {
  const home = await sim({ tokens: { [TOKEN]: { username: 'ada' } } });
  const other = await sim({ tokens: { r8_other_server_token_99: { username: 'bob' } } });
  open.push(home, other);
  return { home, other };
}

async function appAt(
  base: string,
  opts: { confirm?: (i: { host: string }) => Promise<boolean>; env?: Record<string, string> } = {},
) {
  const root = tmpDir('sseelfie-host-');
  const asked: string[] = [];
  const app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: path.join(root, 'library'),
    cipher: new MemoryCipher('keychain'),
    emit: () => {},
    ...(opts.env ? { env: opts.env } : {}),
    confirmApiHost: async (i) => {
      asked.push(i.host);
      return (await opts.confirm?.(i)) ?? false;
    },
  });
  open.push({ close: () => app.dispose() });
  const call = (ch: InvokeChannel, arg?: unknown) => dispatch(app.handlers, ch, arg);
  if (!opts.env?.REPLICATE_BASE_URL)
    expect(await call('settings:update', { apiBaseUrl: base })).toMatchObject({ ok: true });
  return { app, call, asked, root };
}

describe('changing the API address', () => {
  it('declined in main: nothing changes and the new host never sees a request', async () => {
    const { home, other } = await twoServers();
    const { call, asked } = await appAt(home.baseUrl);
    expect(await call('token:set', { token: TOKEN })).toMatchObject({ ok: true });
    const before = other.stats().requests.length;
    const r = await call('settings:update', { apiBaseUrl: other.baseUrl });
    expect(r).toMatchObject({ ok: false, error: { code: 'canceled' } });
    expect(asked).toEqual([new URL(other.baseUrl).host]);
    expect(other.stats().requests.length).toBe(before);
    expect(await call('settings:get')).toMatchObject({ ok: true, value: { apiBaseUrl: home.baseUrl } });
  });

  it('confirmed but refused there: the address changes, the token stays with its own server', async () => {
    const { home, other } = await twoServers();
    const { call } = await appAt(home.baseUrl, { confirm: async () => true });
    await call('token:set', { token: TOKEN });
    expect(await call('settings:update', { apiBaseUrl: other.baseUrl })).toMatchObject({
      ok: true,
      value: { apiBaseUrl: other.baseUrl },
    });
    const status = await call('token:status');
    expect(status).toMatchObject({ ok: true, value: { hasToken: false, tokenHost: new URL(home.baseUrl).host } });
    // from now on nothing carries the kept token to the other server: the app asks for its own
    const before = other.stats().requests.length;
    expect(await call('jobs:start', { input: { prompt: 'subject' } })).toMatchObject({ ok: false });
    expect(other.stats().requests.length).toBe(before);
    // back home, the kept token works again without asking
    expect(await call('settings:update', { apiBaseUrl: home.baseUrl })).toMatchObject({ ok: true });
    expect(await call('token:status')).toMatchObject({
      ok: true,
      value: { hasToken: true, account: { username: 'ada' } },
    });
  });

  it('confirmed and accepted there: the token moves with the address', async () => {
    const { home } = await twoServers();
    const twin = await sim({ tokens: { [TOKEN]: { username: 'ada-on-twin' } } });
    open.push(twin);
    const { call } = await appAt(home.baseUrl, { confirm: async () => true });
    await call('token:set', { token: TOKEN });
    expect(await call('settings:update', { apiBaseUrl: twin.baseUrl })).toMatchObject({ ok: true });
    expect(await call('token:status')).toMatchObject({
      ok: true,
      value: { hasToken: true, account: { username: 'ada-on-twin' } },
    });
  });

  it('an address that cannot be reached is not switched to', async () => {
    const { home } = await twoServers();
    const { call } = await appAt(home.baseUrl, { confirm: async () => true });
    await call('token:set', { token: TOKEN });
    const r = await call('settings:update', { apiBaseUrl: 'http://127.0.0.1:9/v1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'network' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/127\.0\.0\.1:9.*not changed/);
  });

  it('plain http to another computer is refused before anything is sent', async () => {
    const { home } = await twoServers();
    const { call, asked } = await appAt(home.baseUrl, { confirm: async () => true });
    const r = await call('settings:update', { apiBaseUrl: 'http://192.168.1.50:8765/v1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(asked).toEqual([]);
  });

  it('REPLICATE_BASE_URL is for this session: not written to the settings file', async () => {
    const { home } = await twoServers();
    const root = tmpDir('sseelfie-host-env-');
    const opts = {
      userDataDir: path.join(root, 'userData'),
      defaultLibraryDir: path.join(root, 'library'),
      cipher: new MemoryCipher('keychain'),
      emit: () => {},
    };
    const first = await createAppServices({ ...opts, env: { REPLICATE_BASE_URL: home.baseUrl } });
    expect(first.settings.view()).toMatchObject({ apiBaseUrl: home.baseUrl, apiBaseFromEnv: true });
    await first.dispose();
    const second = await createAppServices(opts);
    open.push({ close: () => second.dispose() });
    expect(second.settings.view()).toMatchObject({ apiBaseUrl: 'https://api.replicate.com/v1', apiBaseFromEnv: false });
  });
});

describe('checking a token when the server cannot be reached', () => {
  it('says what to do (no promise to keep trying), naming the address when it is not Replicate’s', async () => {
    const { home } = await twoServers();
    await home.close();
    const { call } = await appAt(home.baseUrl);
    const r = await call('token:set', { token: TOKEN });
    expect(r).toMatchObject({ ok: false, error: { code: 'network' } });
    const msg = (r as { error: { message: string } }).error.message;
    expect(msg).toMatch(
      new RegExp(`Could not reach ${new URL(home.baseUrl).host.replace(/\./g, '\\.')}.*then try again`),
    );
    expect(msg).toMatch(/API address/);
    expect(msg).not.toMatch(/keep trying/);
  });
});

describe('the gateway follows cursors only on the API origin', () => {
  it('an absolute "next" on another host is refused, and the token is not sent there', async () => {
    const seen: Array<{ url: string; auth?: string }> = [];
    const gw = new ReplicateGateway({
      baseUrl: () => 'https://api.replicate.com/v1',
      token: async () => TOKEN,
      fetch: async (input, init) => {
        seen.push({ url: String(input), auth: (init?.headers as Record<string, string>)?.Authorization });
        return Response.json({ next: 'https://collector.example/v1/predictions?cursor=x', results: [] });
      },
    });
    const page = await gw.listPredictions({});
    await expect(gw.listPredictions({ cursorUrl: page.next! })).rejects.toMatchObject({ code: 'forbidden' });
    expect(seen.map((s) => new URL(s.url).host)).toEqual(['api.replicate.com']);
    // a cursor on the API's own origin is fine
    await gw.listPredictions({ cursorUrl: 'https://api.replicate.com/v1/predictions?cursor=y' });
    expect(seen).toHaveLength(2);
  });

  it('a base address that breaks the rule is refused by the gateway itself', async () => {
    let calls = 0;
    const gw = new ReplicateGateway({
      baseUrl: () => 'http://api.example.com/v1',
      token: async () => TOKEN,
      fetch: async () => (calls++, Response.json({})),
    });
    await expect(gw.account()).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toBe(0);
  });
});
