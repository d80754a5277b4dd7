/**
 * OverlaySurface: the mask overlay's pixels. It owns the overlay group (one element whose CSS
 * opacity is the overlay opacity, so live and committed pixels don't darken each other), its two
 * canvases at device resolution (committed mask, live stroke), their ImageData buffers, the live
 * stroke's own 1-byte mask, and the colour table that turns mask bytes into RGBA. It converts
 * and uploads rectangles; it never decides what or when to draw (overlay-renderer.ts does).
 * Separate because this is the per-pixel inner loop, and the only code here that touches
 * canvas contexts.
 */

import { rectIsEmpty, type Rect } from './raster-geometry';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x01020304]).buffer)[0] === 0x04;

function packRGBA(r: number, g: number, b: number, a: number): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** Parses #rgb, #rrggbb, #rrggbbaa and rgb()/rgba(); returns null otherwise. */
export function parseColor(color: string): [number, number, number] | null {
  const s = color.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h[0]! + h[0]!, 16), parseInt(h[1]! + h[1]!, 16), parseInt(h[2]! + h[2]!, 16)];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (m)
    return [m[1], m[2], m[3]].map((v) => Math.max(0, Math.min(255, Math.round(Number(v))))) as [number, number, number];
  return null;
}

export function safeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

export class OverlaySurface {
  /** The overlay group: both canvases, moved by a CSS transform until re-rasterized. */
  readonly element: HTMLDivElement;
  private readonly committedCanvas: HTMLCanvasElement;
  private readonly liveCanvas: HTMLCanvasElement;
  private readonly committedCtx: CanvasRenderingContext2D | null;
  private readonly liveCtx: CanvasRenderingContext2D | null;
  private committedImg: ImageData | null = null;
  private committedPx: Uint32Array | null = null;
  private liveImg: ImageData | null = null;
  private livePx: Uint32Array | null = null;
  private _liveMask: Uint8Array = new Uint8Array(0);
  private readonly lut = new Uint32Array(256);
  private pxW = 0;
  private pxH = 0;

  constructor(doc: Document) {
    this.element = doc.createElement('div');
    Object.assign(this.element.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: '100%',
      height: '100%',
      pointerEvents: 'none',
      transformOrigin: '0 0',
    } satisfies Partial<CSSStyleDeclaration>);
    const makeCanvas = (name: string): HTMLCanvasElement => {
      const c = doc.createElement('canvas');
      c.dataset.layer = name;
      Object.assign(c.style, {
        position: 'absolute',
        left: '0',
        top: '0',
        width: '100%',
        height: '100%',
        pointerEvents: 'none',
      } satisfies Partial<CSSStyleDeclaration>);
      return c;
    };
    this.committedCanvas = makeCanvas('mask-committed');
    this.liveCanvas = makeCanvas('mask-live');
    this.committedCtx = safeContext(this.committedCanvas);
    this.liveCtx = safeContext(this.liveCanvas);
    this.element.append(this.committedCanvas, this.liveCanvas);
  }

  /** The live stroke's mask on the canvas grid (255 where the stroke covers). */
  get liveMask(): Uint8Array {
    return this._liveMask;
  }
  get width(): number {
    return this.pxW;
  }
  get height(): number {
    return this.pxH;
  }
  get full(): Rect {
    return { x0: 0, y0: 0, x1: this.pxW, y1: this.pxH };
  }

  /** New device size: canvases and buffers are reallocated (their content is lost). */
  resize(pxW: number, pxH: number): void {
    this.pxW = pxW;
    this.pxH = pxH;
    this.committedCanvas.width = this.liveCanvas.width = pxW;
    this.committedCanvas.height = this.liveCanvas.height = pxH;
    this.committedImg = this.liveImg = null;
    this.committedPx = this.livePx = null;
    this._liveMask = new Uint8Array(pxW * pxH);
    if (pxW > 0 && pxH > 0) {
      if (this.committedCtx) {
        this.committedImg = this.committedCtx.createImageData(pxW, pxH);
        this.committedPx = new Uint32Array(this.committedImg.data.buffer);
      }
      if (this.liveCtx) {
        this.liveImg = this.liveCtx.createImageData(pxW, pxH);
        this.livePx = new Uint32Array(this.liveImg.data.buffer);
      }
    }
  }

  /** The overlay colour (any CSS colour; named ones are normalised by the canvas). */
  setColor(color: string): void {
    let rgb = parseColor(color);
    if (!rgb && this.committedCtx) {
      this.committedCtx.fillStyle = '#000000';
      this.committedCtx.fillStyle = color;
      rgb = parseColor(String(this.committedCtx.fillStyle));
    }
    const [r, g, b] = rgb ?? [255, 45, 111];
    this.lut.fill(0);
    this.lut[255] = packRGBA(r, g, b, 255);
  }

  setStyle(opacity: number, visible: boolean): void {
    this.element.style.opacity = String(opacity);
    this.element.style.visibility = visible ? 'visible' : 'hidden';
  }

  setTransform(transform: string): void {
    this.element.style.transform = transform;
  }

  /**
   * committed RGBA inside `r` = the colour where `mask` is set (minus the live stroke's pixels
   * when `minusLive`: an eraser stroke being drawn), else transparent; then uploads `r`.
   */
  paintCommitted(mask: Uint8Array, r: Rect, minusLive: boolean): void {
    const px = this.committedPx;
    const ctx = this.committedCtx;
    if (!px || !ctx || !this.committedImg || rectIsEmpty(r)) return;
    const lut = this.lut;
    const W = this.pxW;
    const live = minusLive ? this._liveMask : null;
    for (let y = r.y0; y < r.y1; y++) {
      const row = y * W;
      const end = row + r.x1;
      if (live) for (let i = row + r.x0; i < end; i++) px[i] = lut[mask[i]! & ~live[i]! & 255]!;
      else for (let i = row + r.x0; i < end; i++) px[i] = lut[mask[i]!]!;
    }
    ctx.putImageData(this.committedImg, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }

  /** Converts the live mask inside `r` to RGBA; with `upload`, also puts `r` on the canvas. */
  paintLive(r: Rect, upload = true): void {
    const px = this.livePx;
    if (!px || rectIsEmpty(r)) return;
    const ctx = this.liveCtx;
    if (upload && (!ctx || !this.liveImg)) return;
    const live = this._liveMask;
    const lut = this.lut;
    const W = this.pxW;
    for (let y = r.y0; y < r.y1; y++) {
      const row = y * W;
      const end = row + r.x1;
      for (let i = row + r.x0; i < end; i++) px[i] = lut[live[i]!]!;
    }
    if (upload) ctx!.putImageData(this.liveImg!, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }

  /** Empties the live mask and its RGBA (not the canvas). */
  resetLive(): void {
    this._liveMask.fill(0);
    this.livePx?.fill(0);
  }

  /** Uploads the whole live RGBA buffer. */
  uploadLive(): void {
    if (this.liveImg) this.liveCtx?.putImageData(this.liveImg, 0, 0);
  }

  /** Clears the live canvas (its buffers are left as they are). */
  clearLiveCanvas(): void {
    this.liveCtx?.clearRect(0, 0, this.pxW, this.pxH);
  }

  /** Empties the live mask, its RGBA and the live canvas inside `r`. */
  clearLive(r: Rect | null): void {
    if (!r || rectIsEmpty(r)) return;
    const W = this.pxW;
    for (let y = r.y0; y < r.y1; y++) {
      this._liveMask.fill(0, y * W + r.x0, y * W + r.x1);
      this.livePx?.fill(0, y * W + r.x0, y * W + r.x1);
    }
    this.liveCtx?.clearRect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }

  /** No image: both canvases and the committed RGBA are emptied. */
  clearAll(): void {
    this.committedCtx?.clearRect(0, 0, this.pxW, this.pxH);
    this.liveCtx?.clearRect(0, 0, this.pxW, this.pxH);
    this.committedPx?.fill(0);
  }

  dispose(): void {
    this.committedImg = this.liveImg = null;
    this.committedPx = this.livePx = null;
    this._liveMask = new Uint8Array(0);
  }
}
