/** Shared bits of `npm run bench`: the row type, statistics and the Markdown report. */

/** One figure of the report. `images.ts` declares the same shape as `BenchRow`. */
export type Row = { name: string; value: number; unit: string; target: string; pass: boolean };

/** Unit of the row the runner adds for a group that crashed (its value means nothing). */
export const ERROR_UNIT = 'error';

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 10_000 ? Math.round(v).toLocaleString('en-US') : String(v);
}

export function formatValue(r: Row): string {
  if (r.unit === ERROR_UNIT) return '—';
  if (!r.unit) return formatNumber(r.value);
  return /^[%×x]$/.test(r.unit) ? `${formatNumber(r.value)}${r.unit}` : `${formatNumber(r.value)} ${r.unit}`;
}

/** Table cells must not break the table: pipes escaped, line breaks flattened. */
const cell = (s: string) =>
  s
    .replace(/\r?\n+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| figure | value | target | pass |', '| --- | ---: | --- | :---: |'];
  for (const r of rows)
    lines.push(`| ${cell(r.name)} | ${cell(formatValue(r))} | ${cell(r.target)} | ${r.pass ? '✓' : '✗'} |`);
  return lines.join('\n');
}
