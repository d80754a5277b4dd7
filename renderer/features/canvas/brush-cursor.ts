/**
 * BrushCursor: the DOM outline that shows the real brush size at the current zoom (dashed for
 * the eraser), and the container's CSS cursor (none while painting, grab/grabbing for panning,
 * default without an image). It owns the element and where the pointer last was. Separate from
 * the painter because it is plain presentation: it is told the state and draws it, and nothing
 * else reads it.
 */

import type { MaskTool } from './types';

/** What the cursor shows; the painter gathers it from the view, the settings and the input. */
export interface CursorState {
  readonly hasImage: boolean;
  /** Space held: a left-drag will pan. */
  readonly panMode: boolean;
  /** A pan drag is in progress. */
  readonly panning: boolean;
  readonly tool: MaskTool;
  /** Brush diameter in image px. */
  readonly brushSize: number;
  /** CSS px per image px. */
  readonly zoom: number;
}

export class BrushCursor {
  readonly element: HTMLDivElement;
  private readonly root: HTMLElement;
  private x = 0;
  private y = 0;
  private inside = false;

  constructor(root: HTMLElement) {
    this.root = root;
    const el = root.ownerDocument.createElement('div');
    el.dataset.layer = 'brush-cursor';
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      boxSizing: 'border-box',
      borderRadius: '50%',
      border: '1px solid rgba(255,255,255,0.95)',
      boxShadow: '0 0 0 1px rgba(0,0,0,0.55), inset 0 0 0 1px rgba(0,0,0,0.35)',
      pointerEvents: 'none',
      display: 'none',
      willChange: 'transform',
    } satisfies Partial<CSSStyleDeclaration>);
    this.element = el;
  }

  /** The pointer is at container point (x, y). */
  moveTo(x: number, y: number, state: CursorState): void {
    this.x = x;
    this.y = y;
    this.inside = true;
    this.render(state);
  }

  /** The pointer entered (true) or left (false) the container. */
  setInside(inside: boolean, state: CursorState): void {
    this.inside = inside;
    this.render(state);
  }

  render(state: CursorState): void {
    const panning = state.panMode || state.panning;
    this.root.style.cursor = state.panning ? 'grabbing' : panning ? 'grab' : state.hasImage ? 'none' : 'default';
    const el = this.element.style;
    if (!(this.inside && !panning && state.hasImage)) {
      el.display = 'none';
      return;
    }
    const d = Math.max(3, state.brushSize * state.zoom);
    el.display = 'block';
    el.width = `${d}px`;
    el.height = `${d}px`;
    el.borderStyle = state.tool === 'eraser' ? 'dashed' : 'solid';
    el.transform = `translate(${this.x - d / 2}px, ${this.y - d / 2}px)`;
  }
}
