/**
 * Settings: typed, validated, migrated by a hand-written `migrate()` (electron-store's
 * `migrations` option is unsupported by its author). Invalid values are replaced by defaults
 * one by one, so one bad field never resets the rest.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL } from '../../../shared/model/rules';
import type { SettingsViewT } from '../../../shared/ipc/contract';
import { ApiBaseUrl, SettingsPatch, TriggerWords } from '../../../shared/ipc/contract';
import { REPLICATE_API_BASE, normalizeApiBase } from '../../../shared/api-base';
import { StudioError } from '../../../shared/errors';
import type { KeyValueStore } from './kv';

export const SETTINGS_VERSION = 2;
export const DEFAULT_API_BASE = REPLICATE_API_BASE;

const SettingsSchema = z.object({
  libraryDir: z.string().min(1).nullable(),
  defaultModel: z.string().min(3),
  apiBaseUrl: ApiBaseUrl,
  theme: z.enum(['system', 'light', 'dark']),
  concurrency: z.number().int().min(1).max(4),
  uploadRetentionMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  triggerWords: TriggerWords,
  /** last export folder, only ever set from a native dialog in main (never from the renderer) */
  exportDir: z.string().min(1).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  libraryDir: null,
  defaultModel: DEFAULT_MODEL,
  apiBaseUrl: DEFAULT_API_BASE,
  theme: 'system',
  concurrency: 2,
  uploadRetentionMinutes: 60,
  triggerWords: { [DEFAULT_MODEL]: 'subject' },
  exportDir: null,
};

/**
 * Upgrades stored settings in place. v1 (prototype) kept `model` and `baseUrl` and a `darkMode`
 * boolean; v2 renamed them and added the upload retention window.
 */
export function migrate(raw: Record<string, unknown>): { data: Record<string, unknown>; changed: boolean } {
  const data = { ...raw };
  const from =
    typeof data.schemaVersion === 'number' ? data.schemaVersion : Object.keys(data).length ? 1 : SETTINGS_VERSION;
  let changed = false;
  if (from < 2) {
    if (typeof data.model === 'string' && data.defaultModel === undefined) data.defaultModel = data.model;
    if (typeof data.baseUrl === 'string' && data.apiBaseUrl === undefined) data.apiBaseUrl = data.baseUrl;
    if (typeof data.darkMode === 'boolean' && data.theme === undefined) data.theme = data.darkMode ? 'dark' : 'light';
    delete data.model;
    delete data.baseUrl;
    delete data.darkMode;
    changed = true;
  }
  if (data.schemaVersion !== SETTINGS_VERSION) {
    data.schemaVersion = SETTINGS_VERSION;
    changed = true;
  }
  return { data, changed };
}

const KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>;

export class SettingsService {
  private notices: string[] = [];
  private listeners = new Set<(s: SettingsViewT) => void>();

  /**
   * `overrides.apiBaseUrl` (REPLICATE_BASE_URL) applies to this session only: it is never written
   * to the settings file, so starting the app once against the simulator does not redirect the
   * token for good.
   */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly defaultLibraryDir: string,
    openNotice?: string,
    private readonly overrides: { apiBaseUrl?: string } = {},
  ) {
    if (openNotice) this.notices.push(openNotice);
    const stored: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kv.all())) if (!k.startsWith('secret.')) stored[k] = v;
    const { data, changed } = migrate(stored);
    if (changed) {
      for (const k of ['model', 'baseUrl', 'darkMode']) if (k in stored) kv.delete(k);
      for (const [k, v] of Object.entries(data)) kv.set(k, v);
    }
    // Field-level repair: a bad value falls back to its default and says so.
    const repaired: string[] = [];
    for (const key of KEYS) {
      const v = kv.get(key);
      if (v === undefined) continue;
      const ok = SettingsSchema.shape[key].safeParse(v).success;
      if (!ok) {
        kv.set(key, DEFAULT_SETTINGS[key]);
        repaired.push(key);
      }
    }
    if (repaired.length)
      this.notices.push(
        `Some settings had values the app could not use (${repaired.join(', ')}); they were reset to their defaults.`,
      );
  }

  /** The settings in effect (the session's API address override applied). */
  get(): Settings {
    const out = { ...DEFAULT_SETTINGS };
    for (const key of KEYS) {
      const v = this.kv.get(key);
      if (v !== undefined) (out as Record<string, unknown>)[key] = v;
    }
    if (this.overrides.apiBaseUrl) out.apiBaseUrl = normalizeApiBase(this.overrides.apiBaseUrl);
    return out;
  }

  get apiBaseFromEnv(): boolean {
    return !!this.overrides.apiBaseUrl;
  }

  libraryDir(): string {
    return this.get().libraryDir ?? this.defaultLibraryDir;
  }

  view(): SettingsViewT {
    const s = this.get();
    return {
      libraryDir: path.resolve(s.libraryDir ?? this.defaultLibraryDir),
      libraryIsDefault: s.libraryDir === null,
      defaultModel: s.defaultModel,
      apiBaseUrl: s.apiBaseUrl,
      apiBaseFromEnv: this.apiBaseFromEnv,
      theme: s.theme,
      concurrency: s.concurrency,
      uploadRetentionMinutes: s.uploadRetentionMinutes,
      triggerWords: s.triggerWords,
      exportDir: s.exportDir,
      notices: [...this.notices],
    };
  }

  update(patch: z.input<typeof SettingsPatch>): SettingsViewT {
    const p = SettingsPatch.parse(patch);
    if (p.apiBaseUrl !== undefined && this.apiBaseFromEnv && normalizeApiBase(p.apiBaseUrl) !== this.get().apiBaseUrl) {
      throw new StudioError(
        'invalid_input',
        'The API address is set by REPLICATE_BASE_URL for this session. Start the app without it to change the address here.',
        {
          fields: [{ field: 'apiBaseUrl', message: 'Set by REPLICATE_BASE_URL.' }],
        },
      );
    }
    if (p.dismissNotices) this.notices = [];
    for (const key of KEYS) {
      const v = (p as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === 'apiBaseUrl' && this.apiBaseFromEnv) continue; // the same as the override: nothing to store
      this.kv.set(key, key === 'apiBaseUrl' ? normalizeApiBase(String(v)) : v);
    }
    const view = this.view();
    for (const l of this.listeners) l(view);
    return view;
  }

  /** A one-time message for the window (shown until dismissed), e.g. "this library is in use". */
  notice(message: string): void {
    if (this.notices.includes(message)) return;
    this.notices.push(message);
    const view = this.view();
    for (const l of this.listeners) l(view);
  }

  setLibraryDir(dir: string | null): SettingsViewT {
    this.kv.set('libraryDir', dir);
    const view = this.view();
    for (const l of this.listeners) l(view);
    return view;
  }

  /** The folder chosen for exports (from a native dialog), remembered for the next one. */
  setExportDir(dir: string): SettingsViewT {
    this.kv.set('exportDir', dir);
    const view = this.view();
    for (const l of this.listeners) l(view);
    return view;
  }

  onChange(fn: (s: SettingsViewT) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
