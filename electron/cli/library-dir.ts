/**
 * Where the CLI finds the library when `--library` is not given: the folder the app's settings
 * name, else the app's default. One place for every command (cli-core.ts and the files in cli/).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The app's userData folder (Electron's appData + productName), to read its library setting. */
export function appUserDataDir(env: Record<string, string | undefined> = process.env): string {
  const name = 'Sseelfie Studio';
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  if (process.platform === 'win32')
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}

export async function defaultLibrary(io: {
  userDataDir?: string;
  env: Record<string, string | undefined>;
}): Promise<string> {
  const userData = io.userDataDir ?? appUserDataDir(io.env);
  try {
    const s = JSON.parse(await fs.readFile(path.join(userData, 'settings.json'), 'utf8')) as {
      libraryDir?: string | null;
    };
    if (s.libraryDir) return s.libraryDir;
  } catch {
    /* the app never ran here */
  }
  return path.join(os.homedir(), 'Pictures', 'Sseelfie Studio');
}
