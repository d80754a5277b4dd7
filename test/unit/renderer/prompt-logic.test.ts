// @vitest-environment happy-dom
/**
 * The prompt's building blocks (issue #5), without the UI: the photoshoot pack and its scenes, the
 * trigger word, style fragments, the length meter's numbers, one request per scene, pasted names.
 */
import { describe, expect, it } from 'vitest';
import {
  addFragment,
  estimateTokens,
  hasFragment,
  lengthFeedback,
  mentionsTrigger,
  PACK,
  removeFragment,
  scenePrompt,
  scenesByCategory,
  t5Limit,
  toggleFragment,
} from '../../../renderer/features/prompt/logic';
import { packRequests } from '../../../renderer/features/prompt/generate';
import { pastedName } from '../../../renderer/features/studio/selfie-import';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';

describe('prompt logic', () => {
  it('the pack has at least 24 scenes in categories, each with an aspect ratio the model knows; {trigger} becomes the trigger word', () => {
    expect(PACK.scenes.length).toBeGreaterThanOrEqual(24);
    const aspects = BUILTIN_SCHEMA.fields.find((f) => f.name === 'aspect_ratio')!.enum!;
    for (const s of PACK.scenes) expect(aspects).toContain(s.aspect_ratio);
    expect(scenesByCategory().map((g) => g.category)).toEqual(['Portraits', 'Lifestyle', 'Work', 'Launch']);
    const office = PACK.scenes.find((s) => s.id === 'office-portrait')!;
    expect(scenePrompt(office, 'TOK')).toMatch(/^TOK professional headshot/);
    expect(scenePrompt(office, undefined)).toMatch(/^a person professional headshot/);
  });

  it('the trigger word counts as a whole word, in any case', () => {
    expect(mentionsTrigger('Subject, smiling', 'subject')).toBe(true);
    expect(mentionsTrigger('subjects smiling', 'subject')).toBe(false);
    expect(mentionsTrigger('a woman smiling', '')).toBe(true);
  });

  it('fragments are appended as their own part and removed again without leaving stray commas', () => {
    const f = 'raw photo, natural skin texture, film grain';
    const on = addFragment('subject at a café, ', f);
    expect(on).toBe(`subject at a café, ${f}`);
    expect(hasFragment(on, f)).toBe(true);
    expect(removeFragment(on, f)).toBe('subject at a café');
    expect(removeFragment(`${f}, subject at a café`, f)).toBe('subject at a café');
    expect(removeFragment(`subject, ${f}, at a café`, f)).toBe('subject, at a café');
    expect(toggleFragment(toggleFragment('a, b', 'golden hour'), 'golden hour')).toBe('a, b');
  });

  it('length: about N tokens against 512 (dev) or 256 (schnell); amber from 80 %, red past the limit; CLIP past 77', () => {
    expect(t5Limit('dev')).toBe(512);
    expect(t5Limit('schnell')).toBe(256);
    expect(t5Limit(undefined)).toBe(512);
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('one two three four')).toBe(6); // 4 words × 1.3 beats 18 chars / 4
    const words = (k: number) => Array.from({ length: k }, () => 'word').join(' ');
    expect(lengthFeedback(words(40), 'dev')).toMatchObject({
      level: 'ok',
      pastClip: false,
      text: 'about 52 of 512 tokens',
    });
    expect(lengthFeedback(words(70), 'dev').pastClip).toBe(true);
    expect(lengthFeedback(words(160), 'schnell')).toMatchObject({ level: 'warn', tokens: 208 });
    expect(lengthFeedback(words(200), 'schnell')).toMatchObject({ level: 'over', tokens: 260 });
    expect(lengthFeedback(words(200), 'schnell').text).toContain('Schnell reads only the first 256');
    expect(lengthFeedback(words(200), 'dev').level).toBe('ok');
  });

  it('a pack makes one request per scene: its prompt with the trigger word and the fragments on, its aspect ratio, its title', () => {
    const scenes = PACK.scenes.filter((s) => ['office-portrait', 'website-hero'].includes(s.id));
    const draft = {
      prompt: 'anything, golden hour, warm backlight',
      values: { aspect_ratio: 'custom', width: 1000, height: 700, num_inference_steps: 20 },
      raw: {},
    };
    const reqs = packRequests(BUILTIN_SCHEMA, draft, scenes, 'subject');
    expect(reqs).toHaveLength(2);
    expect(reqs[0]).toEqual({
      label: 'Office portrait',
      input: {
        prompt: `${scenePrompt(scenes[0]!, 'subject')}, golden hour, warm backlight`,
        aspect_ratio: '4:5',
        num_inference_steps: 20,
      },
    });
    expect(reqs[1]!.input.aspect_ratio).toBe('21:9');
    expect(reqs[1]!.label).toBe('Website hero banner');
  });

  it('a pasted screenshot gets a name the shelf can show', () => {
    const d = new Date(2025, 0, 2, 3, 4, 5);
    expect(pastedName(new File([new Uint8Array([1])], 'image.png', { type: 'image/png' }), d)).toBe(
      'Pasted 2025-01-02 03.04.05.png',
    );
    expect(pastedName(new File([new Uint8Array([1])], 'me.jpg', { type: 'image/jpeg' }), d)).toBe('me.jpg');
  });
});
