/**
 * The floating toolbars of the mask editor, over the stage:
 *  - top: Brush / Eraser, brush size (px), mask opacity, Hide mask;
 *  - left: Undo / Redo, Clear / Invert / Fill;
 *  - right: Zoom + / % / − / Fit, and "?" for the shortcuts.
 * When the stage is narrow (a 1024 px wide window), the top bar goes compact (canvas.css, a
 * container query on the stage): the sliders get shorter and the opacity slider folds into a
 * button that shows its value and opens the slider under it, so every control stays whole.
 * Every button says its shortcut in its tooltip. State comes from useCanvasStore (MaskCanvas
 * mirrors the painter into it); actions go to the painter.
 */
import { useEffect, useId, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useCanvasStore } from './canvas-store';
import {
  IconBrush,
  IconClear,
  IconEraser,
  IconEye,
  IconEyeOff,
  IconFill,
  IconFit,
  IconInvert,
  IconOpacity,
  IconRedo,
  IconUndo,
  IconZoomIn,
  IconZoomOut,
} from './canvas-icons';
import {
  BRUSH_SLIDER_STEPS,
  brushToSlider,
  SHORTCUTS,
  sliderToBrush,
  withShortcut,
  zoomLabel,
  type Combo,
} from './editor-logic';
import type { MaskPainter } from './mask-painter';

function ToolButton({
  label,
  combo,
  mac,
  pressed,
  disabled,
  onClick,
  children,
  className,
}: {
  label: string;
  combo?: Combo;
  mac: boolean;
  pressed?: boolean;
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={`mask-tool${pressed ? ' is-on' : ''}${className ? ` ${className}` : ''}`}
      aria-label={label}
      aria-pressed={pressed}
      title={combo ? withShortcut(label, combo, mac) : label}
      aria-keyshortcuts={combo ? ariaKeys(combo, mac) : undefined}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** aria-keyshortcuts wants "Shift+Meta+Z" / "Control+Z". */
function ariaKeys(combo: Combo, mac: boolean): string {
  return combo
    .map((k) =>
      k === 'Mod' ? (mac ? 'Meta' : 'Control') : k === 'Ctrl' ? 'Control' : k === '−' ? '-' : k === '?' ? 'Shift+?' : k,
    )
    .join('+');
}

function Sep() {
  return <span className="mask-sep" aria-hidden="true" />;
}

/**
 * Mask opacity: inline in the wide bar; in the compact bar a button with the value that opens the
 * same slider in a small panel (Esc, a click elsewhere or the button close it). Which one shows is
 * CSS only, so the slider is one element either way.
 */
function OpacityControl({ opacityPct, onChange }: { opacityPct: number; onChange(pct: number): void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const slider = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    slider.current?.focus();
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => window.removeEventListener('pointerdown', onDown, true);
  }, [open]);

  return (
    <div
      ref={root}
      className={`mask-opacity${open ? ' is-open' : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          root.current?.querySelector<HTMLButtonElement>('.mask-opacity-toggle')?.focus();
        }
      }}
    >
      <button
        type="button"
        className="mask-tool mask-opacity-toggle"
        aria-label="Mask opacity"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title={`Mask opacity: ${opacityPct}%`}
        onClick={() => setOpen(!open)}
      >
        <IconOpacity size={16} />
        <span className="mask-value mask-value--narrow">{opacityPct}%</span>
      </button>
      <label
        id={`${id}-panel`}
        className="mask-slider mask-slider--short mask-opacity-slider"
        title="Mask opacity (how strongly the painted area is tinted)"
      >
        <IconOpacity size={16} />
        <input
          ref={slider}
          type="range"
          className="slider mask-range"
          min={10}
          max={100}
          step={5}
          value={opacityPct}
          aria-label="Mask opacity"
          aria-valuetext={`${opacityPct}%`}
          style={{ '--fill': `${((opacityPct - 10) / 90) * 100}%` } as CSSProperties}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <output className="mask-value mask-value--narrow" data-testid="mask-opacity">
          {opacityPct}%
        </output>
      </label>
    </div>
  );
}

export interface MaskToolbarProps {
  painter: MaskPainter | null;
  mac: boolean;
  /** brush diameters the slider offers (image px) */
  range: { min: number; max: number };
  onHelp(): void;
}

export function MaskToolbar({ painter, mac, range, onHelp }: MaskToolbarProps) {
  const tool = useCanvasStore((s) => s.tool);
  const brushSize = useCanvasStore((s) => s.brushSize);
  const opacity = useCanvasStore((s) => s.overlayOpacity);
  const visible = useCanvasStore((s) => s.maskVisible);
  const canUndo = useCanvasStore((s) => s.canUndo);
  const canRedo = useCanvasStore((s) => s.canRedo);
  const isEmpty = useCanvasStore((s) => s.isEmpty);
  const zoom = useCanvasStore((s) => s.zoom);
  const setSettings = useCanvasStore((s) => s.setSettings);
  const S = SHORTCUTS;
  const ready = !!painter;
  const sizePos = brushToSlider(brushSize, range);
  const opacityPct = Math.round(opacity * 100);

  return (
    <>
      <div className="mask-bar mask-bar--top" role="toolbar" aria-label="Mask tools" data-testid="mask-toolbar">
        <div className="mask-group" role="group" aria-label="Tool">
          <ToolButton
            label="Brush"
            combo={S.brush}
            mac={mac}
            pressed={tool === 'brush'}
            onClick={() => setSettings({ tool: 'brush' })}
          >
            <IconBrush />
          </ToolButton>
          <ToolButton
            label="Eraser"
            combo={S.eraser}
            mac={mac}
            pressed={tool === 'eraser'}
            onClick={() => setSettings({ tool: 'eraser' })}
          >
            <IconEraser />
          </ToolButton>
        </div>
        <Sep />
        <label
          className="mask-slider"
          title={`Brush size: ${withShortcut('smaller', S.smaller, mac)}, ${withShortcut('larger', S.larger, mac)}`}
        >
          <span
            className="mask-dot"
            aria-hidden="true"
            style={{ '--dot': `${4 + Math.round((sizePos / BRUSH_SLIDER_STEPS) * 10)}px` } as CSSProperties}
          />
          <input
            type="range"
            className="slider mask-range"
            min={0}
            max={BRUSH_SLIDER_STEPS}
            step={1}
            value={sizePos}
            aria-label="Brush size"
            aria-valuetext={`${brushSize} px`}
            aria-keyshortcuts="[ ]"
            style={{ '--fill': `${(sizePos / BRUSH_SLIDER_STEPS) * 100}%` } as CSSProperties}
            onChange={(e) => setSettings({ brushSize: sliderToBrush(Number(e.target.value), range) })}
          />
          <output className="mask-value" data-testid="brush-size">
            {brushSize} px
          </output>
        </label>
        <Sep />
        <OpacityControl opacityPct={opacityPct} onChange={(pct) => setSettings({ overlayOpacity: pct / 100 })} />
        <ToolButton
          label="Hide mask"
          combo={S.hide}
          mac={mac}
          pressed={!visible}
          onClick={() => setSettings({ maskVisible: !visible })}
        >
          {visible ? <IconEye /> : <IconEyeOff />}
        </ToolButton>
      </div>

      <div
        className="mask-bar mask-bar--rail"
        role="toolbar"
        aria-orientation="vertical"
        aria-label="Mask history and edits"
      >
        <ToolButton label="Undo" combo={S.undo} mac={mac} disabled={!ready || !canUndo} onClick={() => painter?.undo()}>
          <IconUndo />
        </ToolButton>
        <ToolButton label="Redo" combo={S.redo} mac={mac} disabled={!ready || !canRedo} onClick={() => painter?.redo()}>
          <IconRedo />
        </ToolButton>
        <Sep />
        <ToolButton label="Clear mask" mac={mac} disabled={!ready || isEmpty} onClick={() => painter?.clear()}>
          <IconClear />
        </ToolButton>
        <ToolButton label="Invert mask" combo={S.invert} mac={mac} disabled={!ready} onClick={() => painter?.invert()}>
          <IconInvert />
        </ToolButton>
        <ToolButton label="Fill mask" mac={mac} disabled={!ready} onClick={() => painter?.fill()}>
          <IconFill />
        </ToolButton>
      </div>

      <div className="mask-bar mask-bar--zoom" role="toolbar" aria-orientation="vertical" aria-label="View">
        <ToolButton label="Zoom in" combo={S.zoomIn} mac={mac} disabled={!ready} onClick={() => painter?.zoomIn()}>
          <IconZoomIn size={16} />
        </ToolButton>
        <output className="mask-zoom" data-testid="zoom-level" aria-label="Zoom">
          {zoomLabel(zoom)}
        </output>
        <ToolButton label="Zoom out" combo={S.zoomOut} mac={mac} disabled={!ready} onClick={() => painter?.zoomOut()}>
          <IconZoomOut size={16} />
        </ToolButton>
        <ToolButton label="Fit" combo={S.fit} mac={mac} disabled={!ready} onClick={() => painter?.fit()}>
          <IconFit size={16} />
        </ToolButton>
        <Sep />
        <ToolButton label="Keyboard shortcuts" combo={S.help} mac={mac} onClick={onHelp} className="mask-tool--help">
          <span className="mask-q" aria-hidden="true">
            ?
          </span>
        </ToolButton>
      </div>
    </>
  );
}
