/** A library another process holds: the person is told in the window who has it. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../../../electron/app-services';
import { Library } from '../../../../electron/services/library/library';
import { LibraryLock } from '../../../../electron/services/library/library-lock';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import { tmpDir } from '../jobs/harness';

describe('a library in use elsewhere', () => {
  it('is told to the person in the window (a notice naming who has it), not only written to the log', async () => {
    const root = tmpDir('sseelfie-locked-');
    const lib = new Library(path.join(root, 'library'));
    await lib.ensure();
    const other = LibraryLock.for(lib.appDir, 'the Sseelfie CLI');
    await other.acquire();
    try {
      const app = await createAppServices({
        userDataDir: path.join(root, 'userData'),
        defaultLibraryDir: lib.root,
        cipher: new MemoryCipher('keychain'),
        emit: () => {},
      });
      expect(app.settings.view().notices.join(' ')).toMatch(/in use by the Sseelfie CLI/);
      await app.dispose();
    } finally {
      await other.release();
    }
  });
});
