/**
 * The Replicate API token: lives only in main. It is bound to the API origin it was checked
 * against, and `current()` hands it out only for that origin: changing the API address (or a
 * REPLICATE_BASE_URL for one session) never sends a stored token to another server unless main
 * re-checked it there after the person confirmed (`rebind`). Encrypted with the OS keychain (safeStorage's async
 * API, through the injected SecretCipher) and stored as a base64 blob. When the OS has no real
 * encryption (Linux `basic_text`) the token is kept for this session only, unless the person
 * explicitly accepts storing it unprotected. Nothing here ever returns the token to a caller
 * other than the gateway (`current()`), and no message ever contains it.
 */
import { StudioError } from '../../../shared/errors';
import type { TokenStatusT } from '../../../shared/ipc/contract';
import type { KeyValueStore } from './kv';

export interface SecretCipher {
  isAvailable(): Promise<boolean>;
  /** e.g. 'keychain' (mac), 'dpapi' (win), 'gnome_libsecret', 'basic_text' */
  backend(): string;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(blob: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

/** For tests and the CLI: reversible obfuscation, declared insecure. */
export class MemoryCipher implements SecretCipher {
  constructor(private readonly backendName = 'test') {}
  async isAvailable() {
    return true;
  }
  backend() {
    return this.backendName;
  }
  async encrypt(plain: string) {
    return new TextEncoder().encode('enc:' + Buffer.from(plain, 'utf8').toString('base64'));
  }
  async decrypt(blob: Uint8Array) {
    const s = new TextDecoder().decode(blob);
    if (!s.startsWith('enc:')) throw new Error('not ours');
    return { plain: Buffer.from(s.slice(4), 'base64').toString('utf8'), shouldReEncrypt: false };
  }
}

export type AccountInfo = { username: string; name?: string };
/** Checks a token with the API at `baseUrl` (GET /account); rejects when it is not accepted. */
export type VerifyToken = (token: string, baseUrl: string) => Promise<AccountInfo>;

const BLOB_KEY = 'secret.replicateToken';
const ACCOUNT_KEY = 'secret.account';
const PLAINTEXT_KEY = 'secret.acceptedPlaintext';
const ORIGIN_KEY = 'secret.tokenOrigin';

function originOf(base: string): string {
  try {
    return new URL(base).origin;
  } catch {
    return '';
  }
}

export class TokenVault {
  private session: string | null = null;
  private sessionAccount: AccountInfo | null = null;
  private sessionOrigin = '';
  private cache: string | null = null;

  /** `apiBase`: the address in effect now; requests for any other origin get no token. */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly cipher: SecretCipher,
    private readonly verify: VerifyToken,
    private readonly envToken: string | undefined,
    private readonly apiBase: () => string,
  ) {
    // Tokens saved before they were bound belong to the address they were being used with.
    if (typeof kv.get(BLOB_KEY) === 'string' && typeof kv.get(ORIGIN_KEY) !== 'string')
      kv.set(ORIGIN_KEY, originOf(apiBase()));
  }

  /** The origin the saved (or session) token was checked against, or null when there is none. */
  private boundOrigin(): string | null {
    if (this.session) return this.sessionOrigin;
    if (typeof this.kv.get(BLOB_KEY) !== 'string') return null;
    const o = this.kv.get(ORIGIN_KEY);
    return typeof o === 'string' ? o : null;
  }

  /** A token is kept, checked against `base`'s origin. */
  isBoundTo(base: string): boolean {
    return this.boundOrigin() === originOf(base);
  }

  private async insecure(): Promise<boolean> {
    return !(await this.cipher.isAvailable()) || this.cipher.backend() === 'basic_text';
  }

  async status(): Promise<TokenStatusT> {
    const insecureBackend = await this.insecure();
    if (this.envToken) return { hasToken: true, account: this.storedAccount(), storage: 'env', insecureBackend };
    const bound = this.boundOrigin();
    if (bound !== null && bound !== originOf(this.apiBase())) {
      // A token is kept, but for another server: this one needs its own (the kept one stays for when you switch back).
      return {
        hasToken: false,
        account: null,
        storage: 'none',
        insecureBackend,
        tokenHost: bound ? new URL(bound).host : 'another server',
      };
    }
    if (this.session) return { hasToken: true, account: this.sessionAccount, storage: 'session', insecureBackend };
    if (typeof this.kv.get(BLOB_KEY) === 'string') {
      return {
        hasToken: true,
        account: this.storedAccount(),
        storage: this.kv.get(PLAINTEXT_KEY) ? 'plaintext' : 'encrypted',
        insecureBackend,
      };
    }
    return { hasToken: false, account: null, storage: 'none', insecureBackend };
  }

  private storedAccount(): AccountInfo | null {
    const a = this.kv.get(ACCOUNT_KEY) as AccountInfo | undefined;
    return a && typeof a.username === 'string' ? a : null;
  }

  /** Validates with Replicate first; a token Replicate rejects is never stored. */
  async set(raw: string, opts: { allowPlaintext?: boolean } = {}): Promise<TokenStatusT> {
    const token = raw.trim();
    if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) {
      throw new StudioError(
        'invalid_input',
        'That does not look like a Replicate API token. Copy it from replicate.com/account/api-tokens (it starts with "r8_").',
        {
          fields: [{ field: 'token', message: 'Paste the whole token, without spaces.' }],
        },
      );
    }
    // Checked against, and bound to, the address in effect when the person pressed Save: an
    // address changed meanwhile does not silently receive it.
    const base = this.apiBase();
    const account = await this.verify(token, base);
    const origin = originOf(base);
    if (await this.insecure()) {
      if (!opts.allowPlaintext) {
        this.session = token;
        this.sessionAccount = account;
        this.sessionOrigin = origin;
        this.cache = token;
        return this.status();
      }
      this.kv.set(PLAINTEXT_KEY, true);
    } else {
      this.kv.delete(PLAINTEXT_KEY);
    }
    const blob = await this.cipher.encrypt(token);
    this.kv.set(BLOB_KEY, Buffer.from(blob).toString('base64'));
    this.kv.set(ACCOUNT_KEY, account);
    this.kv.set(ORIGIN_KEY, origin);
    this.session = null;
    this.sessionAccount = null;
    this.cache = token;
    return this.status();
  }

  /**
   * Moves the kept token to another API address after main checked it there (and the person
   * confirmed sending it). Returns false when no token is kept.
   */
  async rebind(base: string, account: AccountInfo): Promise<boolean> {
    const token = await this.kept();
    if (!token) return false;
    if (this.session) {
      this.sessionOrigin = originOf(base);
      this.sessionAccount = account;
    } else {
      this.kv.set(ORIGIN_KEY, originOf(base));
      this.kv.set(ACCOUNT_KEY, account);
    }
    return true;
  }

  async clear(): Promise<TokenStatusT> {
    this.kv.delete(BLOB_KEY);
    this.kv.delete(ACCOUNT_KEY);
    this.kv.delete(PLAINTEXT_KEY);
    this.kv.delete(ORIGIN_KEY);
    this.session = null;
    this.sessionAccount = null;
    this.cache = null;
    return this.status();
  }

  /**
   * The token for a request to the address in effect, or null when the kept token belongs to
   * another server. Only the Replicate gateway calls this.
   */
  async current(): Promise<string | null> {
    if (this.envToken) return this.envToken;
    if (this.boundOrigin() !== originOf(this.apiBase())) return null;
    return this.kept();
  }

  /** The kept token whatever address it is bound to (for re-checking it at a new address). */
  async kept(): Promise<string | null> {
    if (this.session) return this.session;
    if (this.cache) return this.cache;
    const b64 = this.kv.get(BLOB_KEY);
    if (typeof b64 !== 'string') return null;
    try {
      const { plain, shouldReEncrypt } = await this.cipher.decrypt(Buffer.from(b64, 'base64'));
      if (shouldReEncrypt) this.kv.set(BLOB_KEY, Buffer.from(await this.cipher.encrypt(plain)).toString('base64'));
      this.cache = plain;
      return plain;
    } catch {
      // The keychain entry changed (new machine, restored backup): ask again rather than crash.
      this.kv.delete(BLOB_KEY);
      return null;
    }
  }
}
