/**
 * The first test photo a new model makes as soon as its training succeeds: one headshot with the
 * trigger word, through the job engine like any photo (so it is saved, journaled and shown in the
 * library), labelled so the person knows what it is.
 */
import { FIRST_PHOTO_LABEL, firstPhotoPrompt } from '../../../shared/training/training';
import type { StartRequest } from '../jobs/job-engine';
import type { TrainedModelRecord } from './trained-models';

export function firstPhotoRequest(m: Pick<TrainedModelRecord, 'ref' | 'destination' | 'triggerWord'>): StartRequest {
  return {
    modelRef: m.ref,
    input: { prompt: firstPhotoPrompt(m.triggerWord) },
    label: `${FIRST_PHOTO_LABEL} · ${m.destination}`,
  };
}
