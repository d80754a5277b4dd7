/**
 * What the person typed before: recent prompts (newest first, no duplicates) and named parameter
 * presets. Kept in the settings store in userData, not in the library: they are preferences.
 */
import { StudioError } from '../../../shared/errors';
import type { KeyValueStore } from './kv';

export interface Preset {
  name: string;
  values: Record<string, string | number | boolean>;
  savedAt: number;
}

const RECENT_KEY = 'recentPrompts';
const PRESETS_KEY = 'presets';
const MAX_RECENT = 30;

export class PromptMemory {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  recent(): string[] {
    const v = this.kv.get(RECENT_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  }

  remember(prompt: string): void {
    const p = prompt.trim();
    if (!p) return;
    this.kv.set(RECENT_KEY, [p, ...this.recent().filter((x) => x !== p)].slice(0, MAX_RECENT));
  }

  presets(): Preset[] {
    const v = this.kv.get(PRESETS_KEY);
    if (!Array.isArray(v)) return [];
    return v
      .filter(
        (x): x is Preset => !!x && typeof x.name === 'string' && typeof x.values === 'object' && x.values !== null,
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  savePreset(name: string, values: Preset['values']): Preset[] {
    const n = name.trim();
    if (!n)
      throw new StudioError('invalid_input', 'Give the preset a name.', {
        fields: [{ field: 'name', message: 'Give the preset a name.' }],
      });
    // Files and the prompt are not part of a parameter preset.
    const clean = Object.fromEntries(Object.entries(values).filter(([k]) => !['prompt', 'image', 'mask'].includes(k)));
    this.kv.set(PRESETS_KEY, [
      ...this.presets().filter((p) => p.name !== n),
      { name: n, values: clean, savedAt: this.now() },
    ]);
    return this.presets();
  }

  removePreset(name: string): Preset[] {
    this.kv.set(
      PRESETS_KEY,
      this.presets().filter((p) => p.name !== name),
    );
    return this.presets();
  }
}
