/**
 * Schemas every domain of the IPC contract uses: the error shape, ids, a bounded record, asset
 * references, a file sent from the renderer. ../contract.ts assembles the contract from these modules.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors';
import { MAX_IMPORT_BYTES } from '../channels';

export const ErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  retryAfterMs: z.number().optional(),
});

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A record with a bounded number of keys: the renderer is untrusted, and every map it sends is kept or looped over. */
export function boundedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, maxKeys: number) {
  return z.record(key, value).refine((r) => Object.keys(r).length <= maxKeys, `at most ${maxKeys} entries`);
}

/** opaque key of an image main can serve through the asset protocol */
export const AssetId = z
  .string()
  .regex(/^[A-Za-z0-9_./-]{1,200}$/)
  .refine((s) => !s.split('/').includes('..'), 'bad asset id');

export const AssetRef = z.object({ id: AssetId, width: z.number().int(), height: z.number().int() });

export const FileTransferSchema = z
  .object({
    name: z.string().min(1).max(255),
    bytes: z
      .instanceof(Uint8Array)
      .refine((b) => b.length <= MAX_IMPORT_BYTES, 'Files up to 100 MB can be imported.')
      .optional(),
    /** only for a file too large to read: its size, so main can name it in the answer */
    size: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => !!f.bytes !== (f.size !== undefined), 'a file has either its bytes or its size');
