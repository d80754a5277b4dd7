/**
 * UI state of the mask canvas (tool, brush size, overlay, history flags, zoom).
 * Only discrete UI state lives here; pointer samples never go through zustand
 * (electron-practice.md §5.7.7, §6.3). MaskCanvas mirrors MaskPainter's state
 * into this store through `syncFromPainter`, and applies tool/size/overlay
 * changes made here to the painter.
 */

import { create, type StateCreator } from 'zustand';
import type { MaskPainterState, MaskTool } from './types';

export const DEFAULT_BRUSH_SIZE = 64;
export const DEFAULT_OVERLAY_OPACITY = 0.5;
export const DEFAULT_OVERLAY_COLOR = '#ff2d6f';

export interface CanvasUiValues {
  tool: MaskTool;
  /** Brush diameter in image px. */
  brushSize: number;
  overlayOpacity: number;
  overlayColor: string;
  maskVisible: boolean;
  canUndo: boolean;
  canRedo: boolean;
  isEmpty: boolean;
  zoom: number;
}

/** The values the toolbar changes (MaskCanvas passes them on to the painter). */
export type CanvasSettings = Pick<
  CanvasUiValues,
  'tool' | 'brushSize' | 'overlayOpacity' | 'overlayColor' | 'maskVisible'
>;

export interface CanvasSlice extends CanvasUiValues {
  /** Changes any of the settings; brush size is rounded (at least 1), opacity kept to 0..1. */
  setSettings(patch: Partial<CanvasSettings>): void;
  /** Copies the painter's state; only changed fields are written. */
  syncFromPainter(state: MaskPainterState): void;
  resetCanvasUi(): void;
}

export const initialCanvasUi: CanvasUiValues = {
  tool: 'brush',
  brushSize: DEFAULT_BRUSH_SIZE,
  overlayOpacity: DEFAULT_OVERLAY_OPACITY,
  overlayColor: DEFAULT_OVERLAY_COLOR,
  maskVisible: true,
  canUndo: false,
  canRedo: false,
  isEmpty: true,
  zoom: 1,
};

const KEYS = Object.keys(initialCanvasUi) as (keyof CanvasUiValues)[];

/** Slice creator, usable in a combined store: `create((...a) => ({ ...createCanvasSlice(...a), ... }))`. */
export const createCanvasSlice: StateCreator<CanvasSlice, [], [], CanvasSlice> = (set, get) => ({
  ...initialCanvasUi,
  setSettings: (patch) => {
    const next: Partial<CanvasSettings> = { ...patch };
    if (patch.brushSize !== undefined) next.brushSize = Math.max(1, Math.round(patch.brushSize));
    if (patch.overlayOpacity !== undefined) next.overlayOpacity = Math.max(0, Math.min(1, patch.overlayOpacity));
    set(next);
  },
  syncFromPainter: (s) => {
    const cur = get();
    const patch: Partial<CanvasUiValues> = {};
    let changed = false;
    for (const k of KEYS) {
      if (cur[k] !== s[k]) {
        (patch as Record<string, unknown>)[k] = s[k];
        changed = true;
      }
    }
    if (changed) set(patch);
  },
  resetCanvasUi: () => set({ ...initialCanvasUi }),
});

export const useCanvasStore = create<CanvasSlice>()(createCanvasSlice);
