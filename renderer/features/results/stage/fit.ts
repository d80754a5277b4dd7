/**
 * The viewer's geometry, pure: the scale that fits a photo into the stage (never above 100 %, so
 * "Fit" never shows more pixels than the photo has), and where to scroll so the point under the
 * pointer stays put when zooming to 100 %. 100 % is one photo pixel per CSS pixel, as in the
 * mask painter.
 */

export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Scale that fits w × h inside the box minus the insets (at most 1). */
export function fitScale(boxW: number, boxH: number, w: number, h: number, pad: Insets): number {
  const aw = boxW - pad.left - pad.right;
  const ah = boxH - pad.top - pad.bottom;
  if (!(w > 0 && h > 0) || aw <= 0 || ah <= 0) return 1;
  return Math.min(1, aw / w, ah / h);
}

/**
 * Scroll offsets after switching to 100 % so that the photo point under (px, py) — given as a
 * fraction of the photo, 0..1 — lands under the same place in the viewport (vx, vy, CSS px from
 * its top-left). `offset` is where the photo starts inside the scrolled content.
 */
export function anchorScroll(
  fx: number,
  fy: number,
  vx: number,
  vy: number,
  w: number,
  h: number,
  offset: { x: number; y: number },
): { left: number; top: number } {
  return { left: Math.max(0, offset.x + fx * w - vx), top: Math.max(0, offset.y + fy * h - vy) };
}

export function percent(scale: number): string {
  return `${Math.round(scale * 100)} %`;
}
