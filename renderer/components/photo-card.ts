/**
 * What a photo's card shows wherever it is (the results, a run's page, the comparison, the
 * studio's stage): its caption and its frame's shape.
 */
/** “a professional headshot of…” — short enough for a caption */
export function snippet(text: string, max = 42): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return `“${t}”`;
  const cut = t.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return `“${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[,.;:\s]+$/, '')}…”`;
}

/** A label of its own (a photoshoot scene's title), not just the start of the prompt. */
export function hasOwnLabel(job: { label: string; prompt: string }): boolean {
  const l = job.label.trim().replace(/…$/, '');
  return !!l && !job.prompt.trim().startsWith(l);
}

/** A photo's own shape for its frame (CSS aspect-ratio): results are never cropped to squares. */
export function ratio(img: { width: number; height: number }): string | undefined {
  return img.width > 0 && img.height > 0 ? `${img.width} / ${img.height}` : undefined;
}
