/**
 * The comparison's photos drawn with the one shared view (view-sync.ts): a photo in its pane, and
 * A and B stacked in one pane for the wipe and the flicker, with the wipe line's drag.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { assetUrl } from '../../app/client';
import type { CompareItem } from './compare-store';
import type { Size } from './compare-view-state';
import type { ViewSync } from './view-sync';

/**
 * One photo drawn with the shared view: `attach`es its <img> to the pane it is in, its parent
 * (a parent's ref is not set yet when a child's layout effect runs; the DOM parent is).
 */
export function SyncedImage({
  sync,
  src,
  alt,
  size,
  rank,
  className,
}: {
  sync: ViewSync;
  src: string;
  alt: string;
  size: Size;
  rank: number;
  className?: string;
}) {
  const img = useRef<HTMLImageElement>(null);
  useLayoutEffect(() => {
    const box = img.current?.parentElement;
    if (!img.current || !box) return;
    return sync.attach(box, img.current, size, rank);
    // re-attached when the pixel size changes, not for every new object of the same size
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sync, size.width, size.height, rank]);
  return (
    <img
      ref={img}
      className={`compare-img${className ? ` ${className}` : ''}`}
      src={src}
      alt={alt}
      width={size.width}
      height={size.height}
      draggable={false}
    />
  );
}

export function Pane({ children, label, tag }: { label: string; tag: ReactNode; children: ReactNode }) {
  return (
    <div className="compare-pane" data-testid="compare-pane" aria-label={label} role="group">
      {children}
      <span className="compare-tag">{tag}</span>
    </div>
  );
}

/**
 * A and B in one pane (wipe, flicker), both drawn with the shared view. Each is in a layer the
 * size of the pane, so the wipe's clip is in pane coordinates (not the scaled image's) and a
 * gesture is measured on the photo under the pointer.
 */
export function StackImages({
  sync,
  a,
  b,
  alt,
}: {
  sync: ViewSync;
  a: CompareItem;
  b: CompareItem;
  alt: (it: CompareItem, i: number) => string;
}) {
  return (
    <>
      {[a, b].map((it, i) => (
        <div key={i} className={`compare-layer compare-layer--${i ? 'b' : 'a'}`}>
          <SyncedImage
            sync={sync}
            src={assetUrl(it.id)}
            alt={alt(it, i)}
            size={{ width: it.width, height: it.height }}
            rank={i}
          />
        </div>
      ))}
    </>
  );
}

/** Dragging the wipe's line moves it (the pane's own drag pans; this one does not). */
export function startWipeDrag(
  e: React.PointerEvent<HTMLElement>,
  pane: HTMLElement | null,
  set: (x: number) => void,
): void {
  if (!pane || e.button !== 0) return;
  e.stopPropagation();
  e.preventDefault();
  const line = e.currentTarget;
  line.setPointerCapture?.(e.pointerId);
  const move = (ev: PointerEvent) => {
    const r = pane.getBoundingClientRect();
    set((ev.clientX - r.left) / r.width);
  };
  const up = () => {
    line.removeEventListener('pointermove', move);
    line.removeEventListener('pointerup', up);
    line.removeEventListener('pointercancel', up);
  };
  line.addEventListener('pointermove', move);
  line.addEventListener('pointerup', up);
  line.addEventListener('pointercancel', up);
}
