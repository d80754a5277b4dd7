// @vitest-environment happy-dom
/**
 * The prompt editor (issue #5): the trigger word chip and its warning, style chips, the length
 * meter, recent prompts; Generate sending once; photoshoot packs queuing one job per scene.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { resetMaskSession } from '../../../renderer/features/canvas';
import { PACK, scenePrompt } from '../../../renderer/features/prompt/logic';
import { ok } from './fake-studio';
import { teardown } from './setup';
import { job, studio } from './prompt-studio';

afterEach(() => {
  teardown();
  resetMaskSession();
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
