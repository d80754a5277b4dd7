/**
 * `generate --from FILE`: the settings embedded in an image (this app's, or an A1111-style text)
 * as the base input of a generation (services/export/restore-settings.ts); what could not be
 * restored is said on stderr. Returns an exit code when the file cannot be used.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { toErrorShape } from '../../shared/errors';
import type { ModelSchema } from '../../shared/model/schema';
import { MAX_RESTORE_BYTES, restoreSettings } from '../services/export/restore-settings';

export async function inputFromFile(
  file: string,
  schema: ModelSchema,
  stderr: (s: string) => void,
): Promise<{ input: Record<string, unknown>; modelRef?: string } | number> {
  const full = path.resolve(file);
  let bytes: Uint8Array;
  try {
    const st = await fs.stat(full);
    if (st.size > MAX_RESTORE_BYTES) {
      stderr(
        `--from ${file}: the file is ${Math.round(st.size / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.\n`,
      );
      return 2;
    }
    bytes = new Uint8Array(await fs.readFile(full));
  } catch (e) {
    stderr(`--from ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).\n`);
    return 2;
  }
  try {
    const r = await restoreSettings(bytes, schema);
    for (const n of r.notes) stderr(`note: ${n.field}: ${n.message}\n`);
    return { input: r.input, ...(r.modelRef ? { modelRef: r.modelRef } : {}) };
  } catch (e) {
    stderr(`--from ${file}: ${toErrorShape(e).message}\n`);
    return 2;
  }
}
