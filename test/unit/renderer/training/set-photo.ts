/** A checked photo of a training set as main reports it, for the Train view's tests. */
import type { TrainingPhotoViewT } from '../../../../shared/ipc/contract';

export function setPhoto(
  n: number,
  over: Partial<TrainingPhotoViewT> = {},
  file = `IMG_00${40 + n}.jpg`,
): TrainingPhotoViewT {
  const name = over.file ?? file;
  return {
    id: `p_photo${n}00`,
    name,
    file: name,
    addedAt: n,
    width: 1200,
    height: 1600,
    caption: '',
    included: true,
    overridden: false,
    verdict: { ok: true, problems: [] },
    image: { id: `training-sets/t_set000/${name}`, width: 1200, height: 1600 },
    thumb: { id: `thumbs/training-sets/t_set000/${name}`, width: 384, height: 512 },
    ...over,
  };
}
