import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileStore, MemoryStore } from '../../../../electron/services/settings/kv';
import {
  DEFAULT_SETTINGS,
  SettingsService,
  SETTINGS_VERSION,
  migrate,
} from '../../../../electron/services/settings/settings-service';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'sseelfie-settings-'));

describe('SettingsService', () => {
  it('starts from defaults with the default library folder', () => {
    const s = new SettingsService(new MemoryStore(), '/home/me/Pictures/Sseelfie Studio');
    expect(s.view()).toMatchObject({
      libraryDir: '/home/me/Pictures/Sseelfie Studio',
      libraryIsDefault: true,
      defaultModel: 'sandrasocial/sseelfie-ai',
      theme: 'system',
      notices: [],
    });
  });

  it('migrates v1 settings (model, baseUrl, darkMode) and records the version', () => {
    const kv = new MemoryStore({ model: 'me/my-lora', baseUrl: 'http://127.0.0.1:8765/v1', darkMode: true });
    const s = new SettingsService(kv, '/lib');
    expect(s.get()).toMatchObject({
      defaultModel: 'me/my-lora',
      apiBaseUrl: 'http://127.0.0.1:8765/v1',
      theme: 'dark',
    });
    expect(kv.get('schemaVersion')).toBe(SETTINGS_VERSION);
    expect(kv.get('model')).toBeUndefined();
    expect(migrate({ schemaVersion: SETTINGS_VERSION, theme: 'light' }).changed).toBe(false);
  });

  it('repairs one bad field without touching the others, and says so', () => {
    const kv = new MemoryStore({ schemaVersion: 2, theme: 'purple', concurrency: 3 });
    const s = new SettingsService(kv, '/lib');
    expect(s.get().theme).toBe(DEFAULT_SETTINGS.theme);
    expect(s.get().concurrency).toBe(3);
    expect(s.view().notices.join(' ')).toMatch(/theme/);
  });

  it('refuses out-of-range or unknown updates and changes nothing', () => {
    const s = new SettingsService(new MemoryStore(), '/lib');
    expect(() => s.update({ concurrency: 9 })).toThrow();
    expect(() => s.update({ apiBaseUrl: 'ftp://x' })).toThrow();
    expect(() => s.update({ nonsense: 1 } as never)).toThrow();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.update({ theme: 'dark', apiBaseUrl: 'http://127.0.0.1:8765/v1/' }).apiBaseUrl).toBe(
      'http://127.0.0.1:8765/v1',
    );
  });

  it('backs up a corrupt settings file, starts from defaults and shows a notice (no crash)', async () => {
    const dir = tmp();
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, '{"theme": "dark", oops');
    const opened = JsonFileStore.open(file);
    const s = new SettingsService(opened.kv, '/lib', opened.notice);
    expect(s.view().notices[0]).toMatch(/damaged.*copy was kept/);
    const backup = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(backup).toBeDefined();
    expect(readFileSync(path.join(dir, backup!), 'utf8')).toContain('oops');
    s.update({ theme: 'light' });
    await opened.kv.flush?.();
    expect(JSON.parse(readFileSync(file, 'utf8')).theme).toBe('light');
    s.update({ dismissNotices: true });
    expect(s.view().notices).toEqual([]);
  });

  it('notifies listeners on change (the renderer mirror)', () => {
    const s = new SettingsService(new MemoryStore(), '/lib');
    const seen: string[] = [];
    s.onChange((v) => seen.push(v.theme));
    s.update({ theme: 'dark' });
    expect(seen).toEqual(['dark']);
  });

  it('sends the token only over https, or plain http to this computer', () => {
    const s = new SettingsService(new MemoryStore(), '/lib');
    for (const bad of [
      'http://api.example.com/v1',
      'http://192.168.1.20:8765/v1',
      'https://user:pw@api.example.com/v1',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(() => s.update({ apiBaseUrl: bad }), bad).toThrow();
    }
    expect(s.get().apiBaseUrl).toBe(DEFAULT_SETTINGS.apiBaseUrl);
    for (const good of [
      'http://127.0.0.1:8765/v1',
      'http://localhost:8765/v1',
      'http://[::1]:8765/v1',
      'https://proxy.example.com/replicate/v1',
    ]) {
      expect(s.update({ apiBaseUrl: good }).apiBaseUrl, good).toBe(good);
    }
  });

  it('a stored address that breaks the rule (an earlier version accepted it) is reset with a notice', () => {
    const s = new SettingsService(new MemoryStore({ schemaVersion: 2, apiBaseUrl: 'http://evil.example/v1' }), '/lib');
    expect(s.get().apiBaseUrl).toBe(DEFAULT_SETTINGS.apiBaseUrl);
    expect(s.view().notices.join(' ')).toMatch(/apiBaseUrl/);
  });

  it('REPLICATE_BASE_URL applies to the session only: shown, never written, not editable', () => {
    const kv = new MemoryStore();
    const s = new SettingsService(kv, '/lib', undefined, { apiBaseUrl: 'http://127.0.0.1:8765/v1/' });
    expect(s.view()).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:8765/v1', apiBaseFromEnv: true });
    expect(kv.get('apiBaseUrl')).toBeUndefined();
    expect(() => s.update({ apiBaseUrl: 'https://api.replicate.com/v1' })).toThrow(/REPLICATE_BASE_URL/);
    s.update({ theme: 'dark' });
    expect(kv.get('apiBaseUrl')).toBeUndefined();
    // the next start without the variable is back on the saved address
    expect(new SettingsService(kv, '/lib').get().apiBaseUrl).toBe(DEFAULT_SETTINGS.apiBaseUrl);
  });

  it('bounds every map it stores: 100,000 trigger words are refused', () => {
    const s = new SettingsService(new MemoryStore(), '/lib');
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`owner/model-${i}`, 'tok']));
    expect(() => s.update({ triggerWords: many })).toThrow(/at most 200/);
    expect(Object.keys(s.get().triggerWords)).toHaveLength(1);
  });
});
