/**
 * MaskCanvas: a thin React wrapper around MaskPainter.
 *
 * The painter is created once in an effect on the container div; props reach
 * it through effects, and pointer input never goes through React (no
 * re-render per pointer move). Unset tool/brushSize/overlay props are read from
 * the canvas zustand slice, and the painter's state (history flags, zoom, and
 * tool/size changed by shortcuts) is mirrored back into it, so a toolbar can
 * just use `useCanvasStore`. Pass `syncStore={false}` to use props only.
 *
 *   const [painter, setPainter] = useState<MaskPainter | null>(null);
 *   useMaskShortcuts(painter);
 *   <MaskCanvas imageUrl={url} imageWidth={w} imageHeight={h} onReady={setPainter} />
 *   …later: painter.exportMask(w, h)
 */

import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useCanvasStore } from './canvas-store';
import type { MaskDoc } from './mask-doc';
import { MaskPainter } from './mask-painter';
import { handleMaskShortcut } from './shortcuts';
import type { MaskPainterState, MaskTool, PainterSettings } from './types';
import type { FitPadding } from './view';

export interface MaskCanvasProps {
  /** URL of the image to paint over (the prepared image or a preview of it). */
  imageUrl: string | null;
  /** Prepared image size in px: the mask's size. Defaults to the image's natural size. */
  imageWidth?: number;
  imageHeight?: number;
  /** Restore a mask for this image. */
  doc?: MaskDoc;
  /** Text alternative of the image (default '': decorative). */
  imageAlt?: string;
  tool?: MaskTool;
  /** Brush diameter in image px. */
  brushSize?: number;
  overlayOpacity?: number;
  overlayColor?: string;
  maskVisible?: boolean;
  usePressure?: boolean;
  /** Room kept free around the photo when fitting (e.g. for floating toolbars); default 16. */
  fitPadding?: FitPadding;
  /** Read unset props from, and mirror painter state into, useCanvasStore (default true). */
  syncStore?: boolean;
  onReady?: (painter: MaskPainter | null) => void;
  onChange?: (state: MaskPainterState) => void;
  onError?: (error: Error) => void;
  className?: string;
  style?: CSSProperties;
}

const containerStyle: CSSProperties = {
  position: 'relative',
  overflow: 'hidden',
  width: '100%',
  height: '100%',
  touchAction: 'none',
};

export function MaskCanvas(props: MaskCanvasProps) {
  const { imageUrl, imageWidth, imageHeight, doc, imageAlt, syncStore = true } = props;
  const divRef = useRef<HTMLDivElement>(null);
  const [painter, setPainter] = useState<MaskPainter | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  const storeTool = useCanvasStore((s) => s.tool);
  const storeSize = useCanvasStore((s) => s.brushSize);
  const storeOpacity = useCanvasStore((s) => s.overlayOpacity);
  const storeColor = useCanvasStore((s) => s.overlayColor);
  const storeVisible = useCanvasStore((s) => s.maskVisible);
  const tool = props.tool ?? (syncStore ? storeTool : undefined);
  const brushSize = props.brushSize ?? (syncStore ? storeSize : undefined);
  const overlayOpacity = props.overlayOpacity ?? (syncStore ? storeOpacity : undefined);
  const overlayColor = props.overlayColor ?? (syncStore ? storeColor : undefined);
  const maskVisible = props.maskVisible ?? (syncStore ? storeVisible : undefined);

  // Create / destroy the painter.
  useEffect(() => {
    const el = divRef.current;
    if (!el) return;
    const p = new MaskPainter(el, {
      tool,
      brushSize,
      overlayOpacity,
      overlayColor,
      maskVisible,
      usePressure: propsRef.current.usePressure,
      fitPadding: propsRef.current.fitPadding,
    });
    setPainter(p);
    propsRef.current.onReady?.(p);
    return () => {
      p.destroy();
      setPainter(null);
      propsRef.current.onReady?.(null);
    };
    // Initial option values only; later changes go through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Painter → store / onChange.
  useEffect(() => {
    if (!painter) return;
    const forward = (s: MaskPainterState) => {
      if (propsRef.current.syncStore ?? true) useCanvasStore.getState().syncFromPainter(s);
      propsRef.current.onChange?.(s);
    };
    forward(painter.getState());
    return painter.onChange(forward);
  }, [painter]);

  // Image / doc.
  useEffect(() => {
    if (!painter) return;
    if (!imageUrl) {
      painter.clearImage();
      return;
    }
    painter
      .setImage(imageUrl, { width: imageWidth, height: imageHeight, doc, alt: imageAlt })
      .catch((err: unknown) => propsRef.current.onError?.(err instanceof Error ? err : new Error(String(err))));
  }, [painter, imageUrl, imageWidth, imageHeight, doc, imageAlt]);

  // Settings: each one is passed on when it changes (and only then, so a prop left alone does
  // not undo what a shortcut changed in the painter).
  useSetting(painter, 'tool', tool);
  useSetting(painter, 'brushSize', brushSize);
  useSetting(painter, 'overlayOpacity', overlayOpacity);
  useSetting(painter, 'overlayColor', overlayColor);
  useSetting(painter, 'maskVisible', maskVisible);
  useSetting(painter, 'usePressure', props.usePressure);
  const fp = props.fitPadding;
  const fitKey =
    fp === undefined ? '' : typeof fp === 'number' ? String(fp) : `${fp.top},${fp.right},${fp.bottom},${fp.left}`;
  useEffect(() => {
    const fitPadding = propsRef.current.fitPadding;
    if (painter && fitPadding !== undefined) painter.set({ fitPadding });
  }, [painter, fitKey]);

  return (
    <div
      ref={divRef}
      data-testid="mask-canvas"
      className={props.className}
      style={props.style ? { ...containerStyle, ...props.style } : containerStyle}
    />
  );
}

/** Passes one setting to the painter whenever its value changes (undefined: leave it alone). */
function useSetting<K extends 'tool' | 'brushSize' | 'overlayOpacity' | 'overlayColor' | 'maskVisible' | 'usePressure'>(
  painter: MaskPainter | null,
  key: K,
  value: PainterSettings[K] | undefined,
): void {
  useEffect(() => {
    if (painter && value !== undefined) painter.set({ [key]: value } as Pick<PainterSettings, K>);
  }, [painter, key, value]);
}

export interface MaskShortcutOptions {
  /** Default true. */
  enabled?: boolean;
  /** Where to listen (default: window). */
  target?: Window | Document | HTMLElement | null;
}

/**
 * Canvas keyboard shortcuts (see shortcuts.ts for the list): B, E, X, [ ],
 * Cmd/Ctrl+Z, Shift+Cmd/Ctrl+Z, Ctrl+Y, H, Shift+I (invert), 0, + / -, Space-drag, Esc.
 * Ignored while focus is in an input/textarea/select/contenteditable.
 */
export function useMaskShortcuts(painter: MaskPainter | null, options: MaskShortcutOptions = {}): void {
  const { enabled = true } = options;
  const target = options.target === undefined ? (typeof window !== 'undefined' ? window : null) : options.target;
  useEffect(() => {
    if (!painter || !enabled || !target) return;
    const onKey = (e: Event) => {
      const ke = e as KeyboardEvent;
      const doc = (target as Window).document ?? (target as Node).ownerDocument ?? (target as Document);
      handleMaskShortcut(painter, ke, doc?.activeElement ?? null);
    };
    const onBlur = () => painter.set({ panMode: false });
    target.addEventListener('keydown', onKey);
    target.addEventListener('keyup', onKey);
    const win = (target as Window).window === target ? (target as Window) : null;
    win?.addEventListener('blur', onBlur);
    return () => {
      target.removeEventListener('keydown', onKey);
      target.removeEventListener('keyup', onKey);
      win?.removeEventListener('blur', onBlur);
      painter.set({ panMode: false });
    };
  }, [painter, enabled, target]);
}

export type { MaskPainterState, MaskTool } from './types';
export { MaskPainter } from './mask-painter';
