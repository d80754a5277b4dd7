/**
 * The scroll box's size for the virtualisers, with a stand-in while it has none: a box not laid
 * out yet (or a DOM without layout, as in the unit tests) would otherwise render no tile at all.
 */
import { observeElementRect, type Virtualizer } from '@tanstack/react-virtual';

const STAND_IN = { width: 1024, height: 768 };

export function observeSized<T extends Element>(
  instance: Virtualizer<T, Element>,
  cb: (rect: { width: number; height: number }) => void,
): void | (() => void) {
  return observeElementRect(instance, (rect) =>
    cb(
      rect.width && rect.height
        ? rect
        : { width: rect.width || STAND_IN.width, height: rect.height || STAND_IN.height },
    ),
  );
}
