// @vitest-environment happy-dom
/**
 * The trigger word (issue 12): the studio says what it is and where to find a model's own (a
 * trained version's description, the trainer's input), a click on the chip inserts it into the
 * prompt at the caret, and changing it stays one click away (the pencil beside the chip).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromptPanel } from '../../../renderer/features/prompt/PromptPanel';
import { insertTrigger, triggerFromDescription } from '../../../renderer/features/prompt/logic';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';
import { WITH_TOKEN, createFakeStudio, ok, settingsView, type FakeStudio } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(() => teardown());

async function panel(setup?: (fake: FakeStudio) => void, settings = settingsView()) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN, settings });
  setup?.(fake);
  startWith(fake, <PromptPanel />);
  await screen.findByTestId('trigger-chip');
  const prompt = screen.getByLabelText('Describe the photo') as HTMLTextAreaElement;
  return { user, fake, prompt };
}

const nextFrame = () => act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));

describe('the trigger word chip', () => {
  it('a click inserts the word into the prompt and puts the caret after it; once there, a click shows where it is', async () => {
    const { user, prompt } = await panel();
    const chip = screen.getByTestId('trigger-chip');
    expect(chip.textContent).toBe('subject');
    expect(chip.getAttribute('aria-label')).toBe('Insert subject into the prompt');
    await user.click(chip);
    await nextFrame();
    expect(prompt.value).toBe('subject');
    expect(document.activeElement).toBe(prompt);
    expect([prompt.selectionStart, prompt.selectionEnd]).toEqual([7, 7]);
    await user.type(prompt, ' at a café');
    expect(prompt.value).toBe('subject at a café');

    // Already in the prompt: not added twice; the chip says so and selects it.
    const again = screen.getByTestId('trigger-chip');
    expect(again.getAttribute('aria-label')).toBe('subject is in your prompt: show where');
    await user.click(again);
    await nextFrame();
    expect(prompt.value).toBe('subject at a café');
    expect([prompt.selectionStart, prompt.selectionEnd]).toEqual([0, 7]);
  });

  it('goes in at the caret, spaced from the words around it', async () => {
    const { user, prompt } = await panel();
    await user.type(prompt, 'a photo of woman');
    prompt.setSelectionRange(11, 11);
    await user.click(screen.getByTestId('trigger-chip'));
    await nextFrame();
    expect(prompt.value).toBe('a photo of subject woman');
    expect([prompt.selectionStart, prompt.selectionEnd]).toEqual([18, 18]);
  });

  it('changing it is one click on the pencil: Enter saves it for this model, Escape leaves it', async () => {
    const { user, fake, prompt } = await panel();
    await user.click(screen.getByRole('button', { name: 'Change the trigger word' }));
    const input = screen.getByRole('textbox', { name: 'Trigger word' });
    expect(input.getAttribute('placeholder')).toBe('e.g. TOK');
    await user.clear(input);
    await user.type(input, 'ADA{Enter}');
    await waitFor(() =>
      expect(fake.fn['settings:update']).toHaveBeenCalledWith({ triggerWords: { 'sandrasocial/sseelfie-ai': 'ADA' } }),
    );
    expect((await screen.findByTestId('trigger-chip')).textContent).toBe('ADA');
    expect(prompt.value).toBe(''); // changing the word does not touch the prompt

    await user.click(screen.getByRole('button', { name: 'Change the trigger word' }));
    await user.type(screen.getByRole('textbox', { name: 'Trigger word' }), 'XYZ{Escape}');
    expect(screen.getByTestId('trigger-chip').textContent).toBe('ADA');
    await nextFrame();
    expect(fake.fn['settings:update']).toHaveBeenCalledTimes(1);
  });

  it('without a word the chip asks for one and opens the box right away', async () => {
    const { user, fake } = await panel(undefined, settingsView({ triggerWords: {} }));
    const chip = screen.getByTestId('trigger-chip');
    expect(chip.textContent).toBe('Set it');
    expect(screen.queryByRole('button', { name: 'Change the trigger word' })).toBeNull();
    await user.click(chip);
    await user.type(screen.getByRole('textbox', { name: 'Trigger word' }), 'mira{Enter}');
    await waitFor(() =>
      expect(fake.fn['settings:update']).toHaveBeenCalledWith({ triggerWords: { 'sandrasocial/sseelfie-ai': 'mira' } }),
    );
  });

  it('“What is this?” says what it is and where to find a model’s own, with its page on Replicate', async () => {
    const { user, fake } = await panel();
    const toggle = screen.getByRole('button', { name: 'What is this?' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const help = screen.getByTestId('trigger-help');
    expect(help.textContent).toContain('trigger_word');
    expect(help.textContent).toContain('TOK');
    expect(help.textContent).toContain('description of the trained version');
    expect(help.textContent).toContain('input of the training');
    await user.click(within(help).getByRole('button', { name: 'Open sandrasocial/sseelfie-ai on Replicate' }));
    expect(fake.fn['app:openExternal']).toHaveBeenCalledWith({
      url: 'https://replicate.com/sandrasocial/sseelfie-ai/versions',
    });
    await user.click(toggle);
    expect(screen.queryByTestId('trigger-help')).toBeNull();
  });

  it('a word the model’s description names is offered, and one click uses it', async () => {
    const { user, fake } = await panel((f) =>
      f.handle('models:get', () =>
        ok({
          ref: 'ada/me',
          owner: 'ada',
          name: 'me',
          versionId: null,
          description: 'My LoRA. Trigger word: ADA',
          fields: BUILTIN_SCHEMA.fields,
          source: 'live' as const,
        }),
      ),
    );
    const offer = await screen.findByTestId('trigger-offer');
    expect(offer.textContent).toContain('The model’s description names ADA');
    await user.click(within(offer).getByRole('button', { name: 'Use ADA' }));
    await waitFor(() =>
      expect(fake.fn['settings:update']).toHaveBeenCalledWith({
        triggerWords: { 'sandrasocial/sseelfie-ai': 'subject', 'ada/me': 'ADA' },
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('trigger-offer')).toBeNull());
    expect(screen.getByTestId('trigger-chip').textContent).toBe('ADA');
  });
});

describe('trigger word logic', () => {
  it('insertTrigger: at the caret or over the selection, spaced; leading with a comma at the start; never twice', () => {
    expect(insertTrigger('', 'subject')).toEqual({ text: 'subject', start: 7, end: 7 });
    expect(insertTrigger('a woman at a café', 'subject', { start: 0, end: 0 })).toEqual({
      text: 'subject, a woman at a café',
      start: 7,
      end: 7,
    });
    expect(insertTrigger('a photo of woman', 'subject', { start: 11, end: 11 }).text).toBe('a photo of subject woman');
    expect(insertTrigger('a photo of, at a café', 'subject', { start: 10, end: 10 }).text).toBe(
      'a photo of subject, at a café',
    );
    expect(insertTrigger('photo of X here', 'subject', { start: 9, end: 10 }).text).toBe('photo of subject here');
    expect(insertTrigger('at a café', 'subject').text).toBe('at a café subject');
    expect(insertTrigger('at a café, Subject smiling', 'subject')).toEqual({
      text: 'at a café, Subject smiling',
      start: 11,
      end: 18,
    });
    expect(insertTrigger('subjects', 'subject').text).toBe('subjects subject');
  });

  it('triggerFromDescription: the word a description names, nothing from ordinary text', () => {
    expect(triggerFromDescription('Your perfect AI brandphotoshoot using just your selfies')).toBeUndefined();
    expect(triggerFromDescription(undefined)).toBeUndefined();
    expect(triggerFromDescription('Trigger word: ADA. Use it.')).toBe('ADA');
    expect(triggerFromDescription('use the trigger word `TOK` in prompts')).toBe('TOK');
    expect(triggerFromDescription('trigger_word = "mira"')).toBe('mira');
    expect(triggerFromDescription('Trigger: zoë')).toBe('zoë');
    expect(triggerFromDescription('The trigger word is the word you trained with')).toBeUndefined();
    expect(triggerFromDescription('This model triggers joy')).toBeUndefined();
  });
});
