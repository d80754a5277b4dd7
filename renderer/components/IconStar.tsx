import { Svg } from '../app/icons';

/** The star's outline after its top point, all relative, so one path can draw it anywhere. */
const STAR_REST = 'l2.55 5.2 5.72.83-4.14 4.03.98 5.7-5.11-2.69-5.11 2.69.98-5.7-4.14-4.03 5.72-.83z';
/** The star drawn with its 24-unit box moved `dx` units right. */
const starAt = (dx: number) => `M${12 + dx} 3.6${STAR_REST}`;
/** Stars in a row are this many units apart: a 2-unit gap between 24-unit boxes. */
const PITCH = 26;

/** A five-point star; filled when picked. Decorative (the button carries the name). */
export function IconStar({
  size = 16,
  filled = false,
  className,
}: {
  size?: number;
  filled?: boolean;
  className?: string;
}) {
  return (
    <Svg size={size} className={className} fill={filled ? 'currentColor' : 'none'}>
      <path d={starAt(0)} />
    </Svg>
  );
}

/**
 * `count` filled stars in a row as one SVG and one path: a grid of tiles draws hundreds of these
 * as it scrolls, and an SVG per star cost Chromium a replaced element and a paint of its own each.
 */
export function IconStars({ count, size = 11 }: { count: number; size?: number }) {
  return (
    <Svg size={size} units={PITCH * count - (PITCH - 24)} fill="currentColor">
      <path d={Array.from({ length: count }, (_, i) => starAt(i * PITCH)).join('')} />
    </Svg>
  );
}
