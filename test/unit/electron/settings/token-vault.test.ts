import { describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../../electron/services/settings/kv';
import { MemoryCipher, TokenVault } from '../../../../electron/services/settings/token-vault';
import { StudioError } from '../../../../shared/errors';

const TOKEN = 'r8_ThisIsTheSecretToken123';
const REPLICATE = 'https://api.replicate.com/v1';
const at = (base: string) => () => base;
const verifyOk = vi.fn(async () => ({ username: 'sandra', name: 'Sandra' }));
const verifyBad = async () => {
  throw new StudioError('unauthenticated', 'Replicate did not accept your API token.');
};

describe('TokenVault', () => {
  it('validates, encrypts and stores; status never carries the token', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher('keychain'), verifyOk, undefined, at(REPLICATE));
    const s = await v.set(`  ${TOKEN}\n`);
    expect(s).toEqual({
      hasToken: true,
      account: { username: 'sandra', name: 'Sandra' },
      storage: 'encrypted',
      insecureBackend: false,
    });
    expect(verifyOk).toHaveBeenLastCalledWith(TOKEN, REPLICATE);
    expect(JSON.stringify(s)).not.toContain(TOKEN);
    expect(JSON.stringify(kv.all())).not.toContain(TOKEN);
    expect(await v.current()).toBe(TOKEN);
    // a new process reads it back through the cipher
    expect(await new TokenVault(kv, new MemoryCipher('keychain'), verifyOk, undefined, at(REPLICATE)).current()).toBe(
      TOKEN,
    );
  });

  it('does not store a token Replicate rejects', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher(), verifyBad, undefined, at(REPLICATE));
    await expect(v.set(TOKEN)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await v.status()).toMatchObject({ hasToken: false, storage: 'none' });
    expect(kv.all()).toEqual({});
  });

  it('refuses text that cannot be a token without calling Replicate', async () => {
    const verify = vi.fn(async () => ({ username: 'x' }));
    const v = new TokenVault(new MemoryStore(), new MemoryCipher(), verify, undefined, at(REPLICATE));
    await expect(v.set('my password with spaces')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('on Linux basic_text keeps it for the session only unless plaintext is accepted', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk, undefined, at(REPLICATE));
    expect(await v.set(TOKEN)).toMatchObject({ hasToken: true, storage: 'session', insecureBackend: true });
    expect(kv.all()).toEqual({});
    expect(
      await new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk, undefined, at(REPLICATE)).status(),
    ).toMatchObject({ hasToken: false });
    expect(await v.set(TOKEN, { allowPlaintext: true })).toMatchObject({ storage: 'plaintext' });
    expect(await new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk, undefined, at(REPLICATE)).current()).toBe(
      TOKEN,
    );
  });

  it('clears, and forgets a blob the keychain can no longer decrypt', async () => {
    const kv = new MemoryStore({ 'secret.replicateToken': Buffer.from('garbage').toString('base64') });
    const v = new TokenVault(kv, new MemoryCipher(), verifyOk, undefined, at(REPLICATE));
    expect(await v.current()).toBeNull();
    expect(kv.get('secret.replicateToken')).toBeUndefined();
    await v.set(TOKEN);
    expect((await v.clear()).hasToken).toBe(false);
    expect(await v.current()).toBeNull();
  });

  it('REPLICATE_API_TOKEN overrides for developers', async () => {
    const v = new TokenVault(new MemoryStore(), new MemoryCipher(), verifyOk, TOKEN, at(REPLICATE));
    expect(await v.status()).toMatchObject({ hasToken: true, storage: 'env' });
    expect(await v.current()).toBe(TOKEN);
  });

  it('hands the token out only for the API origin it was checked against', async () => {
    const kv = new MemoryStore();
    let base = REPLICATE;
    const v = new TokenVault(kv, new MemoryCipher('keychain'), verifyOk, undefined, () => base);
    await v.set(TOKEN);
    expect(await v.current()).toBe(TOKEN);
    base = 'https://api.replicate.com/v1/'; // same origin, other spelling
    expect(await v.current()).toBe(TOKEN);
    base = 'https://evil.example/v1';
    expect(await v.current()).toBeNull();
    expect(await v.status()).toMatchObject({ hasToken: false, storage: 'none', tokenHost: 'api.replicate.com' });
    expect(v.isBoundTo(base)).toBe(false);
    // the kept token is still there for the server it belongs to
    base = REPLICATE;
    expect(await v.current()).toBe(TOKEN);
    // main re-checked it at the new address after the person confirmed: it moves there
    expect(await v.rebind('http://127.0.0.1:8765/v1', { username: 'sim-user' })).toBe(true);
    expect(await v.current()).toBeNull();
    base = 'http://127.0.0.1:8765/v1';
    expect(await v.current()).toBe(TOKEN);
    expect(await v.status()).toMatchObject({ hasToken: true, account: { username: 'sim-user' } });
  });

  it('binds to the address in effect when Save was pressed, even if it changes during the check', async () => {
    let base = 'http://127.0.0.1:8765/v1';
    let release!: () => void;
    const slow = vi.fn(async () => {
      await new Promise<void>((r) => (release = r));
      return { username: 'sim-user' };
    });
    const v = new TokenVault(new MemoryStore(), new MemoryCipher('keychain'), slow, undefined, () => base);
    const saving = v.set(TOKEN);
    await Promise.resolve();
    base = 'https://api.replicate.com/v1';
    release();
    await saving;
    expect(slow).toHaveBeenCalledWith(TOKEN, 'http://127.0.0.1:8765/v1');
    expect(await v.current()).toBeNull(); // not sent to Replicate: it was checked with the simulator
    base = 'http://127.0.0.1:8765/v1';
    expect(await v.current()).toBe(TOKEN);
  });

  it('binds a token saved by an older version to the address it was used with', async () => {
    const kv = new MemoryStore();
    await new TokenVault(kv, new MemoryCipher('keychain'), verifyOk, undefined, at(REPLICATE)).set(TOKEN);
    kv.delete('secret.tokenOrigin');
    const v = new TokenVault(kv, new MemoryCipher('keychain'), verifyOk, undefined, at(REPLICATE));
    expect(await v.current()).toBe(TOKEN);
    expect(kv.get('secret.tokenOrigin')).toBe('https://api.replicate.com');
  });
});
