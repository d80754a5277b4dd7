// @vitest-environment happy-dom
/**
 * The studio's prompt building and its ways in and out (issue #5): the trigger word chip and its
 * warning, style fragments, the length meter, photoshoot packs queuing one job per scene, the
 * seed locked and reused, presets, selfie import (errors, progress, drop, paste), Generate with a
 * painted mask, and the comparison of results.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { registerMaskSession, resetMaskSession, useMaskSession } from '../../../renderer/features/canvas';
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
import type { JobViewT, PresetT, RunDetailT, SelfieViewT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, ok, sampleRun, type FakeStudio } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(() => {
  teardown();
  resetMaskSession();
});

const T0 = 1_764_000_000_000;
let n = 0;
function job(over: Partial<JobViewT> = {}): JobViewT {
  n += 1;
  return {
    id: `job_${n}`,
    runId: `run_${n}`,
    state: 'queued',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    prompt: 'subject at a café',
    createdAt: T0 + n,
    updatedAt: T0 + n,
    numOutputs: 1,
    warnings: [],
    images: [],
    ...over,
  };
}

async function studio(setup?: (fake: FakeStudio) => void) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup?.(fake);
  startWith(fake, <App />);
  await screen.findByRole('radiogroup', { name: 'Aspect ratio' }); // model schema loaded
  await screen.findByTestId('trigger-chip');
  const prompt = screen.getByLabelText('Describe the photo') as HTMLTextAreaElement;
  return { user, fake, prompt };
}

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

describe('prompt editor', () => {
  it('shows the trigger word as a chip; a prompt without it gets a warning with “Add it”; the pencil edits the word for this model', async () => {
    const { user, fake, prompt } = await studio();
    expect(screen.getByTestId('trigger-chip').textContent).toBe('subject');
    await user.type(prompt, 'a woman in a blue blazer');
    const warning = screen.getByTestId('trigger-warning');
    expect(warning.textContent).toContain('Include your trigger word subject');
    await user.click(within(warning).getByRole('button', { name: 'Add it' }));
    expect(prompt.value).toBe('subject, a woman in a blue blazer');
    expect(screen.queryByTestId('trigger-warning')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Change the trigger word' }));
    const input = screen.getByRole('textbox', { name: 'Trigger word' });
    await user.clear(input);
    await user.type(input, 'ADA{Enter}');
    await waitFor(() =>
      expect(fake.fn['settings:update']).toHaveBeenCalledWith({ triggerWords: { 'sandrasocial/sseelfie-ai': 'ADA' } }),
    );
    expect((await screen.findByTestId('trigger-chip')).textContent).toBe('ADA');
    // The prompt now lacks the new word.
    expect(screen.getByTestId('trigger-warning').textContent).toContain('ADA');

    // Escape leaves it as it was.
    await user.click(screen.getByRole('button', { name: 'Change the trigger word' }));
    await user.type(screen.getByRole('textbox', { name: 'Trigger word' }), 'XYZ{Escape}');
    expect(screen.getByTestId('trigger-chip').textContent).toBe('ADA');
    expect(fake.fn['settings:update']).toHaveBeenCalledTimes(1);
  });

  it('style chips add and remove their text, and show which are on', async () => {
    const { user, prompt } = await studio();
    await user.type(prompt, 'subject at a café');
    const chip = screen.getByRole('button', { name: 'Raw photo' });
    expect(chip.getAttribute('aria-pressed')).toBe('false');
    await user.click(chip);
    expect(prompt.value).toBe('subject at a café, raw photo, natural skin texture, film grain');
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Soft light' }));
    expect(prompt.value).toBe(
      'subject at a café, raw photo, natural skin texture, film grain, soft diffused light, gentle shadows',
    );
    await user.click(chip);
    expect(prompt.value).toBe('subject at a café, soft diffused light, gentle shadows');
    expect(chip.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: 'Soft light' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('the length meter turns amber and red against the base model’s limit, and explains CLIP’s window', async () => {
    const { prompt } = await studio();
    const set = (v: string) => act(() => useDraft.getState().setPrompt(v));
    set('subject smiling');
    expect(screen.getByTestId('length-meter').getAttribute('data-level')).toBe('ok');
    expect(screen.getByTestId('length-meter').textContent).toContain('about 4 of 512 tokens');
    const words = (k: number) => `subject ${Array.from({ length: k }, () => 'word').join(' ')}`;
    set(words(70));
    expect(screen.getByTestId('length-meter').textContent).toContain('the first ~60 words matter most');
    act(() => useDraft.getState().setValue('model', 'schnell'));
    set(words(160));
    expect(screen.getByTestId('length-meter').getAttribute('data-level')).toBe('warn');
    set(words(220));
    expect(screen.getByTestId('length-meter').getAttribute('data-level')).toBe('over');
    expect(screen.getByRole('meter', { name: 'Prompt length' }).getAttribute('aria-valuemax')).toBe('256');
    expect(prompt.value.startsWith('subject word')).toBe(true);
  });

  it('recent prompts come from main, are refreshed after Generate, and fill the prompt', async () => {
    const { user, fake, prompt } = await studio((f) => f.handle('prompts:recent', () => ok(['subject on a rooftop'])));
    fake.handle('jobs:start', () => ok(job()));
    await user.click(screen.getByRole('button', { name: 'Recent' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Recent prompts' })).getByRole('button', {
        name: 'subject on a rooftop',
      }),
    );
    expect(prompt.value).toBe('subject on a rooftop');
    const before = fake.fn['prompts:recent'].mock.calls.length;
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(fake.fn['prompts:recent'].mock.calls.length).toBeGreaterThan(before));
  });
});

describe('Generate', () => {
  it('a double click sends one request (the second click arrives before the page has re-rendered)', async () => {
    const { fake, prompt } = await studio();
    let release!: () => void;
    fake.handle('jobs:start', () => new Promise((r) => (release = () => r(ok(job())))));
    await userEvent.setup().type(prompt, ' at a cafe');
    const button = screen.getByRole('button', { name: 'Generate' });
    act(() => {
      button.click();
      button.click();
    });
    release();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Generate' })).toBeTruthy());
    expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(1);
  });
});

describe('photoshoot packs', () => {
  it('picking scenes (one by one or a whole category) queues one job per scene with its prompt, aspect ratio and title', async () => {
    const { user, fake, prompt } = await studio();
    const starts: unknown[] = [];
    fake.handle('jobs:start', (req) => {
      starts.push(req);
      return ok(job({ label: req.label, prompt: req.input.prompt }));
    });
    await user.type(prompt, 'anything');
    await user.click(screen.getByRole('button', { name: 'Shot on film' }));
    await user.click(screen.getByRole('radio', { name: /^3:2/ }));
    await user.click(screen.getByRole('button', { name: /Photoshoot…/ }));
    const dialog = screen.getByRole('dialog', { name: /Brand photoshoot/ });
    const queue = within(dialog).getByRole('button', { name: /^Queue/ }) as HTMLButtonElement;
    expect(queue.disabled).toBe(true);

    await user.click(within(dialog).getByRole('checkbox', { name: 'Select all Launch' }));
    const launch = PACK.scenes.filter((s) => s.category === 'Launch');
    expect(queue.textContent).toBe(`Queue ${launch.length} photos`);
    await user.click(within(dialog).getByRole('checkbox', { name: /^Book launch/ }));
    expect(within(dialog).getByRole('checkbox', { name: 'Select all Launch' }).getAttribute('aria-checked')).toBe(
      'mixed',
    );
    await user.click(within(dialog).getByRole('checkbox', { name: /^Office portrait/ }));
    const picked = [
      PACK.scenes.find((s) => s.id === 'office-portrait')!,
      ...launch.filter((s) => s.id !== 'book-signing'),
    ];
    expect(queue.textContent).toBe(`Queue ${picked.length} photos`);

    await user.click(queue);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Brand photoshoot/ })).toBeNull());
    expect(starts).toHaveLength(picked.length);
    // In the pack's order, each with its own aspect ratio (not the form's 3:2).
    const order = PACK.scenes.filter((s) => picked.includes(s));
    expect(starts).toEqual(
      order.map((s) => ({
        label: s.title,
        input: {
          prompt: `${scenePrompt(s, 'subject')}, photographed on film, Kodak Portra 400`,
          aspect_ratio: s.aspect_ratio,
        },
      })),
    );
    expect(await screen.findAllByTestId('job-card')).toHaveLength(picked.length);
    expect(screen.getByText('Office portrait')).toBeTruthy(); // the scene's title on its card
  });

  it('settings with a problem block the pack, with the reason', async () => {
    const { user } = await studio();
    act(() => useDraft.getState().setValue('num_inference_steps', 99));
    await user.click(screen.getByRole('button', { name: /Photoshoot…/ }));
    const dialog = screen.getByRole('dialog', { name: /Brand photoshoot/ });
    await user.click(within(dialog).getByRole('checkbox', { name: /^City walk/ }));
    expect(within(dialog).getByText(/Fix the photo settings first: Steps must be between 1 and 50/)).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Queue 1 photo' }) as HTMLButtonElement).disabled).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: /Brand photoshoot/ })).toBeNull();
  });
});

describe('seed', () => {
  it('Random by default; Locked keeps a number that Generate sends; “Reuse this seed” on a result locks it to that seed', async () => {
    const { user, fake, prompt } = await studio();
    const field = screen.getByTestId('seed-field');
    expect(within(field).getByRole('radio', { name: 'Random' }).getAttribute('aria-checked')).toBe('true');
    await user.click(within(field).getByRole('radio', { name: 'Locked' }));
    const box = within(field).getByRole('textbox', { name: 'Seed' }) as HTMLInputElement;
    expect(Number(box.value)).toBeGreaterThanOrEqual(0);
    await user.clear(box);
    await user.type(box, '42');
    expect(useDraft.getState().values.seed).toBe(42);

    fake.handle('jobs:start', () =>
      ok(job({ state: 'saved', seed: 777, images: [{ id: 'runs/run_x/0.webp', width: 1024, height: 1024 }] })),
    );
    await user.type(prompt, 'subject smiling');
    expect(screen.getByTestId('generate-summary').textContent).toContain('seed 42');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(fake.fn['jobs:start']).toHaveBeenCalledWith({ input: { prompt: 'subject smiling', seed: 42 } });

    const card = await screen.findByTestId('job-card');
    await user.click(within(card).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(777);
    expect(
      (within(screen.getByTestId('seed-field')).getByRole('textbox', { name: 'Seed' }) as HTMLInputElement).value,
    ).toBe('777');
    expect(screen.getByTestId('toasts').textContent).toContain('Seed 777 locked');

    await user.click(within(screen.getByTestId('seed-field')).getByRole('radio', { name: 'Random' }));
    expect(useDraft.getState().values.seed).toBeUndefined();
    expect(within(screen.getByTestId('seed-field')).queryByRole('textbox')).toBeNull();
  });

  it('the gallery detail reuses a run’s seed', async () => {
    const run: RunDetailT = {
      ...sampleRun(T0),
      input: { prompt: 'subject in a sunlit studio', seed: 1234 },
      version: null,
      predictionId: null,
      predictTime: null,
      source: null,
      mask: null,
    };
    const { user } = await studio((f) => {
      f.handle('library:list', () => ok([run]));
      f.handle('library:get', () => ok(run));
    });
    await user.click(screen.getByRole('button', { name: 'Gallery' }));
    await user.click((await screen.findAllByRole('button', { name: /Open “subject in a sunlit studio”/ }))[0]!);
    const detail = await screen.findByTestId('run-detail');
    await user.click(within(detail).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(1234);
  });
});

describe('parameters', () => {
  it('go_fast shows the effective LoRA scale; extra_lora is checked as you type', async () => {
    const { user } = await studio();
    await user.click(screen.getByRole('button', { name: /More settings/ }));
    const lora = screen.getByRole('textbox', { name: 'Likeness strength (LoRA scale)' });
    await user.clear(lora);
    await user.type(lora, '0.8');
    expect(screen.queryByTestId('effective-lora')).toBeNull();
    await user.click(screen.getByRole('switch', { name: 'Go fast' }));
    expect(screen.getByTestId('effective-lora').textContent).toContain('effective scale 1.2');

    const extra = screen.getByRole('textbox', { name: 'Extra LoRA' });
    await user.type(extra, 'huggingface');
    expect(screen.getByText(/Use a Replicate model \(owner\/name/)).toBeTruthy();
    await user.clear(extra);
    await user.type(extra, 'huggingface.co/ada/film-look');
    expect(screen.queryByText(/Use a Replicate model \(owner\/name/)).toBeNull();
    expect(screen.getByText('A Hugging Face model.')).toBeTruthy();
  });

  it('presets: save the current values under a name, list them, apply one, delete one', async () => {
    let stored: PresetT[] = [];
    const { user, fake } = await studio((f) => {
      f.handle('presets:list', () => ok(stored));
      f.handle('presets:save', (req) => {
        stored = [...stored.filter((p) => p.name !== req.name), { name: req.name, values: req.values, savedAt: T0 }];
        return ok(stored);
      });
      f.handle('presets:remove', (req) => {
        stored = stored.filter((p) => p.name !== req.name);
        return ok(stored);
      });
    });
    await user.click(screen.getByRole('radio', { name: /^4:5/ }));
    act(() => useDraft.getState().setValue('num_inference_steps', 12));
    await user.click(screen.getByRole('button', { name: 'Presets' }));
    const panel = screen.getByRole('dialog', { name: 'Presets' });
    expect(within(panel).getByText(/No presets yet/)).toBeTruthy();
    await user.type(within(panel).getByLabelText('Save the current settings as'), 'Portrait drafts');
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    expect(fake.fn['presets:save']).toHaveBeenCalledWith({
      name: 'Portrait drafts',
      values: { aspect_ratio: '4:5', num_inference_steps: 12 },
    });

    act(() => useDraft.getState().resetValues());
    expect(useDraft.getState().values).toEqual({});
    await user.click(screen.getByRole('button', { name: 'Presets' }));
    const again = screen.getByRole('dialog', { name: 'Presets' });
    expect(within(again).getByText('4:5 · 12 steps')).toBeTruthy();
    await user.click(within(again).getByRole('button', { name: 'Apply Portrait drafts' }));
    expect(useDraft.getState().values).toEqual({ aspect_ratio: '4:5', num_inference_steps: 12 });
    expect(screen.getByRole('radio', { name: /^4:5/ }).getAttribute('aria-checked')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Presets' }));
    await user.click(screen.getByRole('button', { name: 'Delete the preset Portrait drafts' }));
    expect(fake.fn['presets:remove']).toHaveBeenCalledWith({ name: 'Portrait drafts' });
    expect(await screen.findByText(/No presets yet/)).toBeTruthy();
  });
});

const SELFIE: SelfieViewT = {
  id: 'selfie_1',
  name: 'me.jpg',
  addedAt: T0,
  width: 600,
  height: 800,
  image: { id: 'selfies/selfie_1.jpg', width: 600, height: 800 },
  thumb: { id: 'selfies/selfie_1.thumb.jpg', width: 192, height: 256 },
};
const img = (name: string, type = 'image/jpeg') => new File([new Uint8Array([1, 2, 3])], name, { type });

describe('selfie import', () => {
  it('lists each refused file with its reason (dismissable); the others import; progress while importing', async () => {
    let release!: () => void;
    const { fake } = await studio((f) =>
      f.handle(
        'selfies:import',
        () =>
          new Promise((resolve) => {
            release = () =>
              resolve(
                ok({
                  imported: [SELFIE],
                  duplicates: [],
                  errors: [
                    {
                      name: 'broken.jpg',
                      code: 'corrupt_file' as const,
                      message: 'This photo is damaged and cannot be opened.',
                    },
                    {
                      name: 'notes.pdf',
                      code: 'unsupported_file' as const,
                      message: '“notes.pdf” is not a photo the app can read.',
                    },
                  ],
                }),
              );
          }),
      ),
    );
    fake.handle('selfies:list', () => ok([SELFIE]));
    const studioEl = screen.getByTestId('studio');
    fireEvent.dragEnter(studioEl, { dataTransfer: { types: ['Files'], files: [] } });
    expect(screen.getByTestId('drop-overlay').textContent).toContain('Drop photos to add them to your selfies');
    fireEvent.drop(screen.getByTestId('canvas-slot'), {
      dataTransfer: {
        types: ['Files'],
        files: [img('me.jpg'), img('broken.jpg'), img('notes.pdf', 'application/pdf')],
      },
    });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(await screen.findByText('Importing 3 photos…')).toBeTruthy();
    await act(async () => release());
    const result = await screen.findByTestId('import-result');
    expect(within(result).getByText('Added 1 selfie.')).toBeTruthy();
    expect(within(result).getByText('2 files could not be added:')).toBeTruthy();
    const items = within(result)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      'broken.jpg: This photo is damaged and cannot be opened.',
      '“notes.pdf” is not a photo the app can read.',
    ]);
    expect(screen.queryByText(/Importing/)).toBeNull();
    expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1);
    fireEvent.click(within(result).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('import-result')).toBeNull();
    // The selfie is on the shelf; clicking it makes it the starting photo.
    fireEvent.click(await screen.findByRole('button', { name: 'Selfie me.jpg' }));
    expect(screen.getByText('Starting from a photo')).toBeTruthy();
  });

  it('Cmd/Ctrl+V with an image imports it, unless focus is in a text field', async () => {
    const { fake, prompt } = await studio();
    prompt.focus();
    fireEvent.paste(prompt, { clipboardData: { files: [img('image.png', 'image/png')], items: [] } });
    expect(fake.fn['selfies:import']).not.toHaveBeenCalled();
    prompt.blur();
    fireEvent.paste(document.body, { clipboardData: { files: [img('image.png', 'image/png')], items: [] } });
    await waitFor(() => expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1));
    const req = fake.fn['selfies:import'].mock.calls[0]![0] as { files: File[] };
    expect(req.files[0]!.name).toMatch(/^Pasted \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/);
    // Text on the clipboard: nothing to import.
    fireEvent.paste(document.body, { clipboardData: { files: [], items: [] } });
    expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1);
  });
});

describe('Generate with a starting photo and a mask', () => {
  it('sends the photo, the painted mask and keep-outside, and says it repaints the masked area', async () => {
    const { user, fake, prompt } = await studio((f) => f.handle('selfies:list', () => ok([SELFIE])));
    fake.handle('jobs:start', () => ok(job()));
    await user.click(await screen.findByRole('button', { name: 'Selfie me.jpg' }));
    await user.type(prompt, 'subject in a red dress');
    expect(screen.getByTestId('generate-summary').textContent).toBe(
      '1 photo at 592 × 800, starting from your photo · Billed to your Replicate account',
    );

    const data = new Uint8Array(600 * 800);
    data.fill(255, 0, 600 * 10);
    act(() => {
      registerMaskSession({
        assetId: SELFIE.image.id,
        isEmpty: () => false,
        exportMask: () => ({ width: 600, height: 800, data }),
      });
      useMaskSession.getState().setKeepOutside(false);
    });
    expect(screen.getByTestId('generate-summary').textContent).toBe(
      '1 photo at 592 × 800, repainting the masked area · Billed to your Replicate account',
    );
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(1));
    const req = fake.fn['jobs:start'].mock.calls[0]![0] as {
      image: { assetId: string };
      mask: { width: number; height: number; data: Uint8Array };
      keepOutside: boolean;
      input: Record<string, unknown>;
    };
    expect(req.image).toEqual({ assetId: 'selfies/selfie_1.jpg' });
    expect([req.mask.width, req.mask.height]).toEqual([600, 800]);
    expect(req.mask.data).toBe(data);
    expect(req.keepOutside).toBe(false);
    expect(req.input).toEqual({ prompt: 'subject in a red dress' });
  });

  it('Cmd/Ctrl+Enter does not generate from a dialog', async () => {
    const { user, fake, prompt } = await studio();
    fake.handle('jobs:start', () => ok(job()));
    await user.type(prompt, 'subject');
    await user.click(screen.getByRole('button', { name: /Photoshoot…/ }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.fn['jobs:start']).not.toHaveBeenCalled();
  });
});

describe('compare', () => {
  it('ticking 2 results opens them side by side with their seeds; “Reuse this seed” locks it', async () => {
    const detail = (id: string, seed: number, steps: number): RunDetailT => ({
      id,
      createdAt: T0,
      prompt: `subject ${id}`,
      label: `subject ${id}`,
      modelRef: 'sandrasocial/sseelfie-ai',
      mode: 'txt2img',
      seed,
      images: [{ id: `runs/${id}/0.webp`, width: 1024, height: 1024, index: 0, format: 'webp', flag: null, rating: 0 }],
      warnings: [],
      input: { prompt: `subject ${id}`, num_inference_steps: steps },
      version: null,
      predictionId: null,
      predictTime: null,
      source: null,
      mask: null,
    });
    const { user, fake } = await studio((f) =>
      f.handle('library:get', (req) => ok(req.runId === 'run_a' ? detail('run_a', 11, 20) : detail('run_b', 22, 28))),
    );
    for (const [id, seed] of [
      ['a', 11],
      ['b', 22],
    ] as const) {
      act(() =>
        fake.emit(
          'jobs:progress',
          job({
            id: `job_${id}`,
            runId: `run_${id}`,
            prompt: `subject run_${id}`,
            label: `subject run_${id}`,
            state: 'saved',
            seed,
            images: [{ id: `runs/run_${id}/0.webp`, width: 1024, height: 1024 }],
          }),
        ),
      );
    }
    await user.click(await screen.findByRole('checkbox', { name: 'Compare photo 1 of “subject run_a”' }));
    const bar = screen.getByTestId('compare-bar');
    expect((within(bar).getByRole('button', { name: 'Compare' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Compare photo 1 of “subject run_b”' }));
    expect(bar.textContent).toContain('2 of 4 selected');
    await user.click(within(bar).getByRole('button', { name: 'Compare' }));
    const dialog = screen.getByRole('dialog', { name: 'Compare 2 photos' });
    const items = within(dialog).getAllByTestId('compare-item');
    expect(items).toHaveLength(2);
    // The settings are in the diff beside the photos (issue 11), one column per photo.
    const diff = within(dialog).getByTestId('compare-diff');
    await waitFor(() => expect(diff.querySelector('tr[data-key="num_inference_steps"]')).toBeTruthy());
    expect([...diff.querySelectorAll('tr[data-key="num_inference_steps"] td')].map((td) => td.textContent)).toEqual([
      '20',
      '28',
    ]);
    expect([...diff.querySelectorAll('tr[data-key="seed"] td')].map((td) => td.textContent)).toEqual(['11', '22']);
    expect(within(items[1]!).getByText('22')).toBeTruthy();
    await user.click(within(items[1]!).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(22);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Compare 2 photos' })).toBeNull();
  });
});
