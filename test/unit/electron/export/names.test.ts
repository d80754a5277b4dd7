import { describe, expect, it } from 'vitest';
import { baseName, firstFreeName, slug } from '../../../../electron/services/export/names';

describe('export file names', () => {
  it('date, scene or first prompt words as a slug without accents, and the seed', () => {
    const createdAt = new Date(2026, 11, 3, 22, 30).getTime();
    expect(
      baseName({ createdAt, label: 'Café — portrait by the window', prompt: 'subject in a café', seed: 48213 }),
    ).toBe('2026-12-03_cafe-portrait-window_seed-48213');
    // label = start of the prompt (no scene): the prompt's first words, the trigger word left out
    expect(
      baseName(
        {
          createdAt,
          label: 'subject at a crème brûlée stand in Zürich',
          prompt: 'subject at a crème brûlée stand in Zürich at dusk',
          seed: 7,
        },
        ['subject'],
      ),
    ).toBe('2026-12-03_creme-brulee-stand-zurich_seed-7');
    expect(baseName({ createdAt, label: '', prompt: '!!!', seed: null })).toBe('2026-12-03_photo');
    expect(slug('Straße ÆØ 東京 portrait')).toBe('strasse-aeo-portrait');
    expect(slug('a'.repeat(60) + ' portrait')).toBe('a'.repeat(48)); // a long word is cut, never the whole name
  });

  it('a name already taken gets -2, -3', async () => {
    const taken = new Set(['x.jpg', 'x-2.jpg']);
    expect(await firstFreeName('x', 'jpg', (n) => !taken.has(n))).toBe('x-3.jpg');
    expect(await firstFreeName('x', 'png', (n) => !taken.has(n))).toBe('x.png');
  });
});
