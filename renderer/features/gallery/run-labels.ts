/**
 * Words the gallery grid and a run's page both show (their own module, so neither page imports
 * the other).
 */
import type { RunSummaryT } from '../../../shared/ipc/contract';

export function dateLabel(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export const MODE_LABEL: Record<RunSummaryT['mode'], string> = {
  txt2img: 'From a prompt',
  img2img: 'From a photo',
  inpaint: 'Repainted area',
};
