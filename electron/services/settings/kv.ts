/**
 * Minimal key-value persistence the settings and token services need. In the app it is backed by
 * electron-store (electron/platform/electron-store-kv.ts); in the CLI and tests by a JSON file.
 */
import { promises as fs, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';

export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  all(): Record<string, unknown>;
  /** resolves when pending writes are on disk */
  flush?(): Promise<void>;
}

/** Opened store plus what happened while opening it (a damaged file is backed up, not fatal). */
export interface OpenedStore {
  kv: KeyValueStore;
  notice?: string;
}

export function corruptNotice(backup: string): string {
  return `Your settings file was damaged and could not be read. A copy was kept as "${path.basename(backup)}" and the defaults were restored. Your photos are not affected.`;
}

/** A JSON-file store with atomic writes; used by the CLI and tests (the app uses electron-store). */
export class JsonFileStore implements KeyValueStore {
  private data: Record<string, unknown>;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    data: Record<string, unknown>,
  ) {
    this.data = data;
  }

  static open(file: string): OpenedStore {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) return { kv: new JsonFileStore(file, {}) };
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return { kv: new JsonFileStore(file, parsed as Record<string, unknown>) };
    } catch {
      const backup = `${file}.corrupt-${Date.now()}`;
      renameSync(file, backup);
      return { kv: new JsonFileStore(file, {}), notice: corruptNotice(backup) };
    }
  }

  get(key: string): unknown {
    return this.data[key];
  }
  set(key: string, value: unknown): void {
    this.data[key] = value;
    this.persist();
  }
  delete(key: string): void {
    delete this.data[key];
    this.persist();
  }
  all(): Record<string, unknown> {
    return { ...this.data };
  }
  flush(): Promise<void> {
    return this.writing;
  }
  private persist(): void {
    const snapshot = JSON.stringify(this.data, null, 2);
    this.writing = this.writing
      .catch(() => {})
      .then(async () => {
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, snapshot);
      });
  }
}

/** In-memory store for tests. */
export class MemoryStore implements KeyValueStore {
  constructor(private data: Record<string, unknown> = {}) {}
  get(key: string) {
    return this.data[key];
  }
  set(key: string, value: unknown) {
    this.data[key] = structuredClone(value);
  }
  delete(key: string) {
    delete this.data[key];
  }
  all() {
    return structuredClone(this.data);
  }
}
