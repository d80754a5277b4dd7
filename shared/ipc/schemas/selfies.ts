/**
 * The selfie shelf (channels selfies:*).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors';
import { AssetRef, Id } from './common';

export const SelfieView = z.object({
  id: Id,
  name: z.string(),
  addedAt: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  image: AssetRef,
  thumb: AssetRef,
});
export const ImportResult = z.object({
  imported: z.array(SelfieView),
  /** files that were already on the shelf (the same file or the same picture): `shelfName` is the selfie they already are */
  duplicates: z.array(z.object({ name: z.string(), id: Id, shelfName: z.string() })),
  errors: z.array(z.object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string() })),
});
