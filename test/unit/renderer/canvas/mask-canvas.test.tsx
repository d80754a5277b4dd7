// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
import { Profiler, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaskCanvas, useMaskShortcuts } from '../../../../renderer/features/canvas/MaskCanvas';
import { initialCanvasUi, useCanvasStore } from '../../../../renderer/features/canvas/canvas-store';
import type { MaskPainter } from '../../../../renderer/features/canvas/mask-painter';

function Harness(props: { onPainter: (p: MaskPainter | null) => void; onRender: () => void }) {
  const [painter, setPainter] = useState<MaskPainter | null>(null);
  useMaskShortcuts(painter);
  return (
    <Profiler id="mask" onRender={props.onRender}>
      <MaskCanvas
        imageUrl="blob:prepared"
        imageWidth={400}
        imageHeight={200}
        onReady={(p) => {
          setPainter(p);
          props.onPainter(p);
        }}
      />
    </Profiler>
  );
}

beforeEach(() => useCanvasStore.getState().resetCanvasUi());
afterEach(() => cleanup());

function pointer(type: string, x: number, y: number) {
  return new PointerEvent(type, {
    pointerId: 1,
    pointerType: 'mouse',
    isPrimary: true,
    button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1,
    clientX: x,
    clientY: y,
    bubbles: true,
    cancelable: true,
  });
}

describe('MaskCanvas', () => {
  it('mounts the painter in the test-id container and syncs the store both ways', async () => {
    let painter: MaskPainter | null = null;
    let renders = 0;
    const { getByTestId, unmount } = render(<Harness onPainter={(p) => (painter = p)} onRender={() => renders++} />);
    const el = getByTestId('mask-canvas');
    expect(el.querySelectorAll('canvas')).toHaveLength(2);
    expect(painter).not.toBeNull();
    await act(async () => {});
    expect(painter!.doc?.width).toBe(400);
    expect(useCanvasStore.getState().zoom).toBe(painter!.zoom);

    // A whole stroke: no React render, one store update of the history flags.
    const root = el.querySelector('.mask-painter')!;
    const before = renders;
    act(() => {
      root.dispatchEvent(pointer('pointerdown', 10, 10));
      for (let i = 1; i <= 50; i++) root.dispatchEvent(pointer('pointermove', 10 + i * 3, 10 + i));
      root.dispatchEvent(pointer('pointerup', 160, 60));
    });
    expect(renders).toBe(before);
    expect(painter!.doc!.ops).toHaveLength(1);
    expect(useCanvasStore.getState().canUndo).toBe(true);
    expect(useCanvasStore.getState().isEmpty).toBe(false);

    // Store → painter (a toolbar).
    act(() => useCanvasStore.getState().setSettings({ tool: 'eraser' }));
    expect(painter!.tool).toBe('eraser');
    act(() => useCanvasStore.getState().setSettings({ brushSize: 33 }));
    expect(painter!.brushSize).toBe(33);

    // Shortcuts → painter → store.
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'b', bubbles: true, cancelable: true }));
    });
    expect(painter!.tool).toBe('brush');
    expect(useCanvasStore.getState().tool).toBe('brush');
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }));
    });
    expect(painter!.doc!.index).toBe(0);
    expect(useCanvasStore.getState().canUndo).toBe(false);
    expect(useCanvasStore.getState().canRedo).toBe(true);

    unmount();
    expect(painter).toBeNull();
    expect(el.querySelector('.mask-painter')).toBeNull();
  });

  it('uses props over the store when given', () => {
    let painter: MaskPainter | null = null;
    render(
      <MaskCanvas imageUrl={null} tool="eraser" brushSize={12} overlayOpacity={0.8} onReady={(p) => (painter = p)} />,
    );
    expect(painter!.tool).toBe('eraser');
    expect(painter!.brushSize).toBe(12);
    expect(painter!.overlayOpacity).toBe(0.8);
    expect(painter!.doc).toBeNull();
  });
});

describe('canvas store', () => {
  it('syncFromPainter writes only changed fields', () => {
    const s = useCanvasStore.getState();
    expect(s.tool).toBe(initialCanvasUi.tool);
    let notified = 0;
    const unsub = useCanvasStore.subscribe(() => notified++);
    const same = { ...initialCanvasUi, version: 0, imageSize: null };
    s.syncFromPainter(same);
    expect(notified).toBe(0);
    s.syncFromPainter({ ...same, canUndo: true, zoom: 2 });
    expect(notified).toBe(1);
    expect(useCanvasStore.getState().canUndo).toBe(true);
    expect(useCanvasStore.getState().zoom).toBe(2);
    s.setSettings({ overlayOpacity: 5 });
    expect(useCanvasStore.getState().overlayOpacity).toBe(1);
    s.setSettings({ brushSize: 0.2 });
    expect(useCanvasStore.getState().brushSize).toBe(1);
    unsub();
  });
});
