import { describe, expect, it } from 'vitest';
import { buildConformanceMatrix, matrixKey, matrixRow, toleranceRatio } from './conformance-matrix.js';
import { makeCheck } from './test-report-builders.js';

describe('buildConformanceMatrix', () => {
  const checks = [
    makeCheck({ backend: 'cpu', subject: 'gru', group: 'equivalence', worstError: 1e-7 }),
    makeCheck({
      backend: 'cpu',
      subject: 'gru',
      group: 'equivalence',
      configuration: 'bi',
      worstError: 8e-6,
    }),
    makeCheck({ backend: 'gpujs', subject: 'gru', group: 'equivalence', status: 'fail', worstError: 3e-5 }),
    makeCheck({ backend: 'gpujs', subject: 'gru', group: 'equivalence', status: 'error', worstError: null }),
    makeCheck({
      backend: 'cpu',
      subject: 'lstm',
      group: 'gradient',
      status: 'not-applicable',
      worstError: null,
      tolerance: null,
      message: 'float32 backend',
    }),
    makeCheck({
      backend: 'cpu',
      subject: 'lstm',
      group: 'gradient',
      status: 'not-applicable',
      worstError: null,
      tolerance: null,
      message: 'float32 backend',
    }),
  ];
  const matrix = buildConformanceMatrix(checks);

  it('keeps the report order of backends, subjects and groups', () => {
    expect(matrix.backends).toEqual(['cpu', 'gpujs']);
    expect(matrix.subjects).toEqual(['gru', 'lstm']);
    expect(matrix.groups).toEqual(['equivalence', 'gradient']);
    expect(matrix.cells.size).toBe(3);
  });

  it('picks the worst check by error over tolerance', () => {
    const cell = matrix.cells.get(matrixKey('cpu', 'gru', 'equivalence'))!;
    expect(cell.status).toBe('pass');
    expect(cell.worst?.configuration).toBe('bi');
    expect(cell.counts.pass).toBe(2);
  });

  it('lets a failure outrank an error, and an error outrank a pass', () => {
    const cell = matrix.cells.get(matrixKey('gpujs', 'gru', 'equivalence'))!;
    expect(cell.status).toBe('fail');
    expect(cell.counts).toEqual({ pass: 0, fail: 1, error: 1, 'not-applicable': 0 });
    const errorOnly = buildConformanceMatrix([makeCheck(), makeCheck({ status: 'error' })]);
    expect([...errorOnly.cells.values()][0]!.status).toBe('error');
  });

  it('gives not-applicable cells their distinct reasons', () => {
    const cell = matrix.cells.get(matrixKey('cpu', 'lstm', 'gradient'))!;
    expect(cell.status).toBe('not-applicable');
    expect(cell.reasons).toEqual(['float32 backend']);
    expect(cell.worst).toBeUndefined();
  });

  it('has no tolerance ratio without a numeric error and tolerance', () => {
    expect(toleranceRatio(makeCheck({ worstError: 2e-5, tolerance: 1e-5 }))).toBeCloseTo(2);
    expect(toleranceRatio(makeCheck({ worstError: null }))).toBeUndefined();
    expect(toleranceRatio(makeCheck({ tolerance: 0 }))).toBeUndefined();
  });

  it('folds ONNX vector files into one row per folder', () => {
    const vectors = ['onnx-rnn/test_gru.json', 'onnx-rnn/test_lstm.json', 'generated/a.json'].map((subject) =>
      makeCheck({ group: 'onnx-vectors', subject, configuration: 'vectors' }),
    );
    const folded = buildConformanceMatrix([makeCheck({ subject: 'gru' }), ...vectors]);
    expect(folded.subjects).toEqual(['gru', 'ONNX vectors: onnx-rnn', 'ONNX vectors: generated']);
    expect(folded.cells.get(matrixKey('cpu', 'ONNX vectors: onnx-rnn', 'onnx-vectors'))!.checks).toHaveLength(
      2,
    );
    expect(matrixRow({ group: 'onnx-vectors', subject: 'gru' })).toBe('gru');
    expect(matrixRow({ group: 'onnx-vectors', subject: 'top.json' })).toBe('ONNX vectors: .');
  });
});
