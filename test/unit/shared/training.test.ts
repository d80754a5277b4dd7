import { describe, expect, it } from 'vitest';
import {
  QUALITY_PRESETS,
  suggestTriggerWord,
  triggerWordProblem,
  TRIGGER_WORD_HELP,
} from '../../../shared/training/training';

describe('trigger word', () => {
  it('suggests a 6-letter capital token from the model name that passes its own check', () => {
    const seq = [0, 0.3, 0.9, 0.5];
    let i = 0;
    const w = suggestTriggerWord('sandra-brand', () => seq[i++ % seq.length]!);
    expect(w).toBe('SNDRQX');
    expect(triggerWordProblem(w)).toBeNull();
    expect(suggestTriggerWord('aaa', () => 0)).toMatch(/^SSL[QXZJK]{3}$/);
  });

  it('refuses spaces, too short, all digits, a common word; explains what it is for', () => {
    expect(triggerWordProblem('a b')).toMatch(/one word, no spaces/);
    expect(triggerWordProblem('a-b')).toMatch(/3 to 24 letters or digits/);
    expect(triggerWordProblem('Portrait')).toMatch(/a word the model already knows/);
    expect(triggerWordProblem('ab')).toMatch(/3 to 24/);
    expect(triggerWordProblem('12345')).toMatch(/at least one letter/);
    expect(TRIGGER_WORD_HELP).toMatch(/Put it in a prompt/);
  });

  it('presets grow in steps', () => {
    expect(QUALITY_PRESETS.quick.input.steps).toBeLessThan(QUALITY_PRESETS.balanced.input.steps);
    expect(QUALITY_PRESETS.balanced.input.steps).toBeLessThan(QUALITY_PRESETS.best.input.steps);
  });
});
