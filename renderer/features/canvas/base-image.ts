/**
 * BaseImage: layer 1 of the painter, the photo being masked. It owns the `<img>` (or a canvas
 * copy of an ImageBitmap / canvas source), its natural size, and its CSS transform for the
 * current view (pixelated from 200 % up, so single pixels can be masked). Separate because
 * loading and sizing an image has nothing to do with painting on it.
 */

export type MaskImageSource = string | HTMLImageElement | HTMLCanvasElement | ImageBitmap;

function isImageElement(v: unknown): v is HTMLImageElement {
  return typeof v === 'object' && v !== null && (v as { tagName?: string }).tagName === 'IMG';
}

export class BaseImage {
  readonly element: HTMLImageElement | HTMLCanvasElement;
  private readonly source: MaskImageSource;

  /** Builds the element for `source` (not yet in the page). */
  constructor(doc: Document, source: MaskImageSource, alt?: string) {
    this.source = source;
    if (typeof source === 'string' || isImageElement(source)) {
      const img = doc.createElement('img');
      img.decoding = 'async';
      img.draggable = false;
      img.alt = alt ?? '';
      img.src = typeof source === 'string' ? source : source.currentSrc || source.src;
      this.element = img;
    } else {
      const c = doc.createElement('canvas');
      c.width = source.width;
      c.height = source.height;
      try {
        c.getContext('2d')?.drawImage(source, 0, 0);
      } catch {
        /* no 2D context (tests): the layer stays blank */
      }
      this.element = c;
    }
  }

  /** The source's own size, waiting for an image to load. */
  async naturalSize(): Promise<{ width: number; height: number }> {
    const source = this.source;
    if (typeof source !== 'string' && !isImageElement(source)) return { width: source.width, height: source.height };
    const img = this.element as HTMLImageElement;
    if (!(img.complete && img.naturalWidth > 0)) {
      await new Promise<void>((resolve, reject) => {
        img.addEventListener('load', () => resolve(), { once: true });
        img.addEventListener(
          'error',
          () => reject(new Error(`MaskPainter: failed to load image ${img.src.slice(0, 120)}`)),
          { once: true },
        );
      });
    }
    return { width: img.naturalWidth, height: img.naturalHeight };
  }

  /** Lays the element out at `w × h` image px, before `before` inside `root`. */
  install(root: HTMLElement, before: Node, w: number, h: number): void {
    const el = this.element;
    el.dataset.layer = 'base-image';
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: `${w}px`,
      height: `${h}px`,
      maxWidth: 'none',
      maxHeight: 'none',
      transformOrigin: '0 0',
      pointerEvents: 'none',
      userSelect: 'none',
    } satisfies Partial<CSSStyleDeclaration>);
    root.insertBefore(el, before);
  }

  /** Places the image for the view: `transform` maps image px to container px. */
  place(transform: string, zoom: number): void {
    this.element.style.transform = transform;
    this.element.style.imageRendering = zoom >= 2 ? 'pixelated' : 'auto';
  }

  remove(): void {
    this.element.remove();
  }
}
