/** SecretCipher over Electron's safeStorage async API (the sync one is deprecated in Electron 45). */
import { safeStorage } from 'electron';
import type { SecretCipher } from '../services/settings/token-vault';

export class SafeStorageCipher implements SecretCipher {
  isAvailable() {
    return safeStorage.isAsyncEncryptionAvailable();
  }
  backend() {
    // Only meaningful on Linux; mac uses the Keychain and Windows DPAPI.
    return process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi';
  }
  async encrypt(plain: string) {
    return new Uint8Array(await safeStorage.encryptStringAsync(plain));
  }
  async decrypt(blob: Uint8Array) {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(blob));
    return { plain: result, shouldReEncrypt };
  }
}
