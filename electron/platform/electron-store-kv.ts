/**
 * KeyValueStore over electron-store (atomic JSON in userData). A damaged file is moved aside and
 * the app starts with defaults and a visible notice, instead of crashing at launch.
 */
import Store from 'electron-store';
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { corruptNotice, type KeyValueStore, type OpenedStore } from '../services/settings/kv';

class ElectronStoreKv implements KeyValueStore {
  constructor(private readonly store: Store<Record<string, unknown>>) {}
  get(key: string) {
    return this.store.get(key);
  }
  set(key: string, value: unknown) {
    this.store.set(key, value);
  }
  delete(key: string) {
    this.store.delete(key);
  }
  all() {
    return { ...this.store.store };
  }
}

export function openElectronStore(file: string): OpenedStore {
  const cwd = path.dirname(file);
  const name = path.basename(file, '.json');
  // accessPropertiesByDotNotation off: our keys contain dots ("secret.replicateToken").
  const open = () =>
    new Store<Record<string, unknown>>({ cwd, name, clearInvalidConfig: false, accessPropertiesByDotNotation: false });
  try {
    return { kv: new ElectronStoreKv(open()) };
  } catch {
    const backup = `${file}.corrupt-${Date.now()}`;
    if (existsSync(file)) renameSync(file, backup);
    return { kv: new ElectronStoreKv(open()), notice: corruptNotice(backup) };
  }
}
