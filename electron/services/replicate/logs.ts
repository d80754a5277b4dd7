/**
 * Reads what cog-flux prints: `Using seed: N`, tqdm step lines (` 36%|███▌ | 10/28 [00:01<00:02, 9.87it/s]`)
 * and the safety checker's "NSFW content detected in image i". Several tqdm bars may appear
 * (e.g. loading weights first); the last one is the denoising loop.
 */
export interface LogProgress {
  step: number;
  total: number;
  percent: number;
  etaSec?: number;
}

export function parseSeed(logs: string | null | undefined): number | undefined {
  if (!logs) return undefined;
  const all = [...logs.matchAll(/Using seed: (-?\d+)/g)];
  const last = all.at(-1);
  return last ? Number(last[1]) : undefined;
}

function toSeconds(t: string): number | undefined {
  const parts = t.split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n))) return undefined;
  return parts.reduce((acc, n) => acc * 60 + n, 0);
}

export function parseProgress(logs: string | null | undefined): LogProgress | undefined {
  if (!logs) return undefined;
  const re = /(\d+)%\|[^|\n\r]*\|\s*(\d+)\/(\d+)(?:\s*\[([\d:]+)<([\d:?]+))?/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(logs); m; m = re.exec(logs)) last = m;
  if (!last) return undefined;
  const step = Number(last[2]);
  const total = Number(last[3]);
  const out: LogProgress = { step, total, percent: total ? Math.round((step / total) * 100) : Number(last[1]) };
  const eta = last[5] && last[5] !== '?' ? toSeconds(last[5]) : undefined;
  if (eta !== undefined) out.etaSec = eta;
  return out;
}

export function parseDroppedImages(logs: string | null | undefined): number[] {
  if (!logs) return [];
  return [...logs.matchAll(/NSFW content detected in image (\d+)/g)].map((m) => Number(m[1]));
}
