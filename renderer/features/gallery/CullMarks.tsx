/**
 * How a photo's flag and rating are drawn on a tile, in the loupe and the filmstrip: a white flag
 * for Pick, a black one with a cross for Reject (Lightroom's marks, said in words for screen
 * readers by the tile's name), and the stars.
 */
import type { FlagT } from '../../../shared/ipc/contract';
import { Svg } from '../../app/icons';
import { IconStar, IconStars } from '../../components/IconStar';

export function IconFlag({ size = 14, reject = false }: { size?: number; reject?: boolean }) {
  return (
    <Svg size={size} fill="currentColor">
      <path d="M6 21V4" fill="none" />
      <path d="M6 4h11l-2.5 4L17 12H6z" />
      {reject ? <path d="M3 3l18 18" fill="none" strokeWidth={2.25} /> : <></>}
    </Svg>
  );
}

export function ratingWords(rating: number): string {
  return rating ? `${rating} star${rating > 1 ? 's' : ''}` : 'no stars';
}

/** The marks over a tile (decorative: the tile's name says them). */
export function CullMarks({ flag, rating, compact = false }: { flag: FlagT; rating: number; compact?: boolean }) {
  return (
    <span className={`cull-marks${compact ? ' cull-marks--compact' : ''}`} aria-hidden="true">
      {flag ? (
        <span className={`cull-flag cull-flag--${flag}`} data-flag={flag}>
          <IconFlag size={compact ? 11 : 13} reject={flag === 'reject'} />
        </span>
      ) : null}
      {rating ? (
        <span className="cull-stars" data-rating={rating}>
          {compact ? (
            <>
              <IconStar size={10} filled />
              {rating}
            </>
          ) : (
            <IconStars count={rating} size={11} />
          )}
        </span>
      ) : null}
    </span>
  );
}
