import { describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../../electron/services/settings/kv';
import { MemoryCipher, TokenVault } from '../../../../electron/services/settings/token-vault';
import { StudioError } from '../../../../shared/errors';

const TOKEN = 'r8_ThisIsTheSecretToken123';
const verifyOk = vi.fn(async () => ({ username: 'sandra', name: 'Sandra' }));
const verifyBad = async () => {
  throw new StudioError('unauthenticated', 'Replicate did not accept your API token.');
};

describe('TokenVault', () => {
  it('validates, encrypts and stores; status never carries the token', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher('keychain'), verifyOk);
    const s = await v.set(`  ${TOKEN}\n`);
    expect(s).toEqual({ hasToken: true, account: { username: 'sandra', name: 'Sandra' }, storage: 'encrypted', insecureBackend: false });
    expect(JSON.stringify(s)).not.toContain(TOKEN);
    expect(JSON.stringify(kv.all())).not.toContain(TOKEN);
    expect(await v.current()).toBe(TOKEN);
    // a new process reads it back through the cipher
    expect(await new TokenVault(kv, new MemoryCipher('keychain'), verifyOk).current()).toBe(TOKEN);
  });

  it('does not store a token Replicate rejects', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher(), verifyBad);
    await expect(v.set(TOKEN)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await v.status()).toMatchObject({ hasToken: false, storage: 'none' });
    expect(kv.all()).toEqual({});
  });

  it('refuses text that cannot be a token without calling Replicate', async () => {
    const verify = vi.fn(async () => ({ username: "x" }));
    const v = new TokenVault(new MemoryStore(), new MemoryCipher(), verify);
    await expect(v.set('my password with spaces')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(verify).not.toHaveBeenCalled();
  });

  it('on Linux basic_text keeps it for the session only unless plaintext is accepted', async () => {
    const kv = new MemoryStore();
    const v = new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk);
    expect(await v.set(TOKEN)).toMatchObject({ hasToken: true, storage: 'session', insecureBackend: true });
    expect(kv.all()).toEqual({});
    expect(await new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk).status()).toMatchObject({ hasToken: false });
    expect(await v.set(TOKEN, { allowPlaintext: true })).toMatchObject({ storage: 'plaintext' });
    expect(await new TokenVault(kv, new MemoryCipher('basic_text'), verifyOk).current()).toBe(TOKEN);
  });

  it('clears, and forgets a blob the keychain can no longer decrypt', async () => {
    const kv = new MemoryStore({ 'secret.replicateToken': Buffer.from('garbage').toString('base64') });
    const v = new TokenVault(kv, new MemoryCipher(), verifyOk);
    expect(await v.current()).toBeNull();
    expect(kv.get('secret.replicateToken')).toBeUndefined();
    await v.set(TOKEN);
    expect((await v.clear()).hasToken).toBe(false);
    expect(await v.current()).toBeNull();
  });

  it('REPLICATE_API_TOKEN overrides for developers', async () => {
    const v = new TokenVault(new MemoryStore(), new MemoryCipher(), verifyOk, TOKEN);
    expect(await v.status()).toMatchObject({ hasToken: true, storage: 'env' });
    expect(await v.current()).toBe(TOKEN);
  });
});
