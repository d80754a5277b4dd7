/**
 * The photos a training started from the Train view uses: the included photos of the person's
 * set, read here in main (the window never sends a path). Refused in words while the set is
 * still being checked, has photos not checked yet, or has too few or too many photos in it.
 */
import { StudioError } from '../../../shared/errors';
import { LIMITS } from './set-check/problems';
import type { TrainingSets } from './training-set';

export async function photosForTraining(
  sets: Pick<TrainingSets, 'get' | 'trainingPhotos' | 'isChecking'>,
  setId?: string,
): Promise<Array<{ file: string; caption?: string }>> {
  const current = await sets.get();
  const id = setId ?? current.id;
  if (id !== current.id)
    throw new StudioError('not_found', 'That training set is no longer the one in the Train view. Open Train again.');
  const refuse = (message: string) =>
    new StudioError('invalid_input', message, { fields: [{ field: 'photos', message }] });
  if (sets.isChecking) throw refuse('The photos are still being checked. Wait for the check to finish, then train.');
  const { summary } = current;
  if (summary.unchecked)
    throw refuse(
      `${summary.unchecked === 1 ? 'A photo has' : `${summary.unchecked} photos have`} not been checked yet. Press Check again, then train.`,
    );
  if (summary.included < LIMITS.minPhotos)
    throw refuse(
      `Only ${summary.included} photos are included, and a training needs at least ${LIMITS.minPhotos}. Add more photos of you, or include ones you left out. Nothing was sent.`,
    );
  if (summary.included > LIMITS.maxPhotos)
    throw refuse(
      `${summary.included} photos are included; use at most ${LIMITS.maxPhotos} (more photos do not make a better model, they make a slower one). Leave some out.`,
    );
  const { photos } = await sets.trainingPhotos(id);
  return photos.map((p) => (p.caption.trim() ? { file: p.path, caption: p.caption } : { file: p.path }));
}
