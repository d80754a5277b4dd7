/**
 * Checks a request to train before anything is written or sent, and says each problem in words
 * with the field it belongs to: the model's name (`model` under the token's account, or
 * `owner/model`), the trigger word (one made-up token), the trainer (one the app can read) and
 * its inputs (a Simple preset, then the Advanced values, against the trainer's own schema).
 */
import { StudioError } from '../../../shared/errors';
import {
  DEFAULT_TRAINER,
  nameProblem,
  presetInput,
  triggerWordProblem,
  type QualityPreset,
} from '../../../shared/training/training';
import { checkTrainerInput, type Trainer } from './trainers';
import { trainingFailures } from './training-failures';

export interface StartSettings {
  /** `name` (under the token's account) or `owner/name` */
  name: string;
  triggerWord: string;
  trainer?: string;
  preset?: QualityPreset;
  /** Advanced: the trainer's own inputs (over the preset's) */
  input?: Record<string, unknown>;
}

export interface StartPlan {
  /** null: the token's account */
  owner: string | null;
  modelName: string;
  trainer: Trainer;
  /** the trainer inputs besides input_images and trigger_word, which the service fills in */
  input: Record<string, unknown>;
}

export async function planStart(req: StartSettings, trainerOf: (ref: string) => Promise<Trainer>): Promise<StartPlan> {
  const problem = triggerWordProblem(req.triggerWord);
  if (problem) throw trainingFailures.badTriggerWord(problem);
  const bad = nameProblem(req.name);
  if (bad) throw trainingFailures.badName(req.name, bad);
  const parts = req.name.trim().split('/');
  const modelName = parts.pop()!;
  const trainer = await trainerOf(req.trainer ?? DEFAULT_TRAINER);
  const names = trainer.schema.fields.map((f) => f.name);
  const input: Record<string, unknown> = {
    ...(req.preset ? presetInput(req.preset, names) : {}),
    ...(req.input ?? {}),
  };
  // the app fills these in itself (the zip's URL, the trigger word above)
  delete input.input_images;
  delete input.trigger_word;
  const issues = checkTrainerInput(trainer, input);
  if (issues.length) throw new StudioError('invalid_input', issues.map((i) => i.message).join(' '), { fields: issues });
  return { owner: parts[0] ?? null, modelName, trainer, input };
}
