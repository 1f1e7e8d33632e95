/**
 * The per-step launches a direction pass resolves once: offsets move with the step, bindings
 * that do not move are built once, and every step gets launch objects of its own (a queueing
 * backend may still hold an earlier step's launch when the next one is built).
 */
import { describe, expect, it } from 'vitest';
import type { PointwiseLaunch } from '../backend.js';
import { defineKernel } from '../pointwise-kernel.js';
import { createReferenceBackend } from '../reference/index.js';
import { stepRows, stepSlots } from './step-bindings.js';
import { StepLaunch } from './step-launch.js';
import { SteppedView } from './stepped-view.js';

function sum(a: number, b: number, c: number): number {
  return a + b + c;
}
const kernel = defineKernel(
  'test/step-launch',
  ['a', 'b', 'k'],
  [['sum', ['a', 'b', 'k'], sum]],
  ['sum', 'a'],
);
const geometry = {
  steps: 4,
  batch: 2,
  inputSize: 3,
  hiddenSize: 3,
  directions: 2,
  direction: 1,
  reverse: false,
};

describe('SteppedView', () => {
  it('moves by stepStride per step, and a fixed view is one shared object', () => {
    const backend = createReferenceBackend();
    const buffer = backend.allocate(64);
    const moving = new SteppedView(buffer, 5, 12, 2, 3, 6);
    expect(moving.isFixed).toBe(false);
    expect(moving.at(0)).toEqual({ buffer, offset: 5, rows: 2, cols: 3, rowStride: 6 });
    expect(moving.at(3)).toEqual({ buffer, offset: 41, rows: 2, cols: 3, rowStride: 6 });
    expect(moving.at(1)).not.toBe(moving.at(1));
    expect(moving.columns(1, 2).at(2)).toEqual({ buffer, offset: 30, rows: 2, cols: 2, rowStride: 6 });
    const fixed = SteppedView.of({ buffer, offset: 7, rows: 1, cols: 4, rowStride: 0 });
    expect(fixed.isFixed).toBe(true);
    expect(fixed.at(0)).toBe(fixed.at(9));
    expect(fixed.at(9)).toEqual({ buffer, offset: 7, rows: 1, cols: 4, rowStride: 0 });
  });

  it('places state slots and step rows as state-slots.ts lays them out', () => {
    const backend = createReferenceBackend();
    const buffer = backend.allocate((geometry.steps + 2) * 2 * 6);
    const forward = stepSlots(buffer, geometry);
    // Slot s of direction 1 starts at s·B·D·H + H; step t reads slot t and writes slot t + 1.
    expect(forward.before.at(2)).toMatchObject({ offset: 2 * 12 + 3, rows: 2, cols: 3, rowStride: 6 });
    expect(forward.after.at(2)).toMatchObject({ offset: 3 * 12 + 3 });
    const reverse = stepSlots(buffer, { ...geometry, reverse: true });
    expect(reverse.before.at(2)).toMatchObject({ offset: 4 * 12 + 3 });
    expect(reverse.after.at(2)).toMatchObject({ offset: 3 * 12 + 3 });
    expect(stepRows(buffer, geometry, 9).at(3)).toMatchObject({ offset: 3 * 2 * 9, rows: 2, cols: 9 });
    expect(stepRows(buffer, geometry, 9, false).at(3)).toMatchObject({ offset: 0, rows: 2, cols: 9 });
  });
});

describe('StepLaunch', () => {
  it('binds each step at its offsets and leaves earlier launches unchanged', () => {
    const backend = createReferenceBackend();
    const buffer = backend.allocate(200);
    const rows = new SteppedView(buffer, 0, 12, 2, 6);
    const bias = new SteppedView(buffer, 100, 0, 2, 6, 0);
    const out = new SteppedView(buffer, 120, 6, 2, 3);
    const launch = new StepLaunch(
      backend,
      kernel,
      2,
      3,
      [{ view: rows, column: 0 }, { view: bias, column: 3 }, 2.5],
      [{ view: out, column: 0, mode: 'add' }, null],
    );
    const first: PointwiseLaunch = launch.at(1);
    const snapshot = JSON.parse(JSON.stringify(first, (key, value) => (key === 'buffer' ? 'b' : value)));
    const second = launch.at(3);
    expect(JSON.parse(JSON.stringify(first, (key, value) => (key === 'buffer' ? 'b' : value)))).toEqual(
      snapshot,
    );
    expect(first).not.toBe(second);
    expect(first.inputs).toEqual([
      { view: { buffer, offset: 12, rows: 2, cols: 6, rowStride: 6 }, column: 0 },
      expect.objectContaining({ view: { buffer, offset: 100, rows: 2, cols: 6, rowStride: 0 }, column: 3 }),
      2.5,
    ]);
    expect(second.inputs[0]).toEqual({
      view: { buffer, offset: 36, rows: 2, cols: 6, rowStride: 6 },
      column: 0,
    });
    expect(second.outputs).toEqual([
      { view: { buffer, offset: 138, rows: 2, cols: 3, rowStride: 3 }, column: 0, mode: 'add' },
      null,
    ]);
    // The fixed bias binding is built once and shared by every step.
    expect(second.inputs[1]).toBe(first.inputs[1]);
    expect({ rows: second.rows, units: second.units }).toEqual({ rows: 2, units: 3 });
  });

  it('gives bindings of one stepped view the same view within a step', () => {
    const backend = createReferenceBackend();
    const buffer = backend.allocate(100);
    const rows = new SteppedView(buffer, 0, 12, 2, 6);
    const launch = new StepLaunch(
      backend,
      kernel,
      2,
      3,
      [{ view: rows, column: 0 }, { view: rows, column: 3 }, 0],
      [{ view: new SteppedView(buffer, 60, 6, 2, 3), column: 0 }, null],
    );
    const [a, b] = launch.at(2).inputs as { view: unknown; column: number }[];
    expect(a!.view).toBe(b!.view);
    expect([a!.column, b!.column]).toEqual([0, 3]);
  });

  it('runs the kernel at the step it is given', async () => {
    const backend = createReferenceBackend();
    const buffer = backend.allocate(16);
    backend.write(buffer, [1, 2, 3, 4, 10, 20, 30, 40]);
    const launch = new StepLaunch(
      backend,
      kernel,
      1,
      2,
      [
        { view: new SteppedView(buffer, 0, 2, 1, 2), column: 0 },
        { view: new SteppedView(buffer, 4, 2, 1, 2), column: 0 },
        100,
      ],
      [{ view: new SteppedView(buffer, 8, 2, 1, 2), column: 0 }, null],
    );
    launch.run(1);
    launch.run(0);
    expect([...(await backend.download(buffer, 8, 4))]).toEqual([111, 122, 133, 144]);
  });
});
