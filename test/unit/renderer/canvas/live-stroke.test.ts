// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { addSample, samplePressure, startStroke, strokePoints } from '../../../../renderer/features/canvas/live-stroke';

describe('LiveStroke samples', () => {
  it('maps client points through the container origin and the view, dropping repeats', () => {
    const s = startStroke({ pointerId: 1, mode: 'paint', radius: 4, pen: false, left: 100, top: 50 });
    const toImage = (x: number, y: number) => ({ x: x * 10, y: y * 10 });
    expect(addSample(s, 101, 52, 0.9, toImage)).toBe(true);
    expect(addSample(s, 101, 52, 0.9, toImage)).toBe(false);
    expect(addSample(s, 103, 52, 0.9, toImage)).toBe(true);
    expect([...strokePoints(s)]).toEqual([10, 20, 0.5, 30, 20, 0.5]);
  });

  it('keeps pen pressure in 0..1 and gives every other pointer 0.5', () => {
    expect(samplePressure(true, 0.25)).toBe(0.25);
    expect(samplePressure(true, 3)).toBe(1);
    expect(samplePressure(true, -0.5)).toBe(0);
    expect(samplePressure(false, 0.9)).toBe(0.5);
  });
});
