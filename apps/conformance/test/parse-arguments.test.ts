import { describe, expect, it } from 'vitest';
import { parseArguments, UsageError } from '../src/parse-arguments.js';

describe('parseArguments', () => {
  it('defaults to all, with peers, no quick', () => {
    expect(parseArguments([])).toMatchObject({ command: 'all', quick: false, peers: true, paths: [] });
  });
  it('reads backends, cells, shapes and files', () => {
    const args = parseArguments([
      'bench',
      '--backend',
      'cpu,gpujs',
      '--cells',
      'gru',
      '--shapes',
      'latency',
      '--quick',
      '--report',
      'r.json',
    ]);
    expect(args).toMatchObject({
      command: 'bench',
      backends: ['cpu', 'gpujs'],
      cells: ['gru'],
      shapes: ['latency'],
      quick: true,
      report: 'r.json',
    });
    expect(parseArguments(['vectors', 'a.json', 'folder', '--json']).paths).toEqual(['a.json', 'folder']);
  });
  it('selects peers by name and rejects unknown ones', () => {
    expect(parseArguments(['bench', '--peers', 'tfjs-webgpu, tfjs-wasm']).peerNames).toEqual([
      'tfjs-webgpu',
      'tfjs-wasm',
    ]);
    expect(parseArguments(['bench']).peerNames).toBeUndefined();
    expect(() => parseArguments(['bench', '--peers', 'tfjs-gl'])).toThrow(
      /--peers names 'tfjs-gl'; expected/,
    );
  });
  it('rejects unknown commands, options and missing vector paths by name', () => {
    expect(() => parseArguments(['frobnicate'])).toThrow(/unknown command 'frobnicate'/);
    expect(() => parseArguments(['--colour'])).toThrow(UsageError);
    expect(() => parseArguments(['vectors'])).toThrow(/at least one file or folder/);
    expect(() => parseArguments(['bench', '--repetitions', '0'])).toThrow(/--repetitions is '0'/);
    expect(() => parseArguments(['bench', '--warmup', '1.5'])).toThrow(/--warmup is '1.5'/);
    expect(parseArguments(['bench', '--warmup', '3']).warmupRuns).toBe(3);
    expect(() => parseArguments(['bench', '--budget', '0'])).toThrow(/--budget is '0'/);
    expect(parseArguments(['bench', '--budget', '90']).budgetSeconds).toBe(90);
  });
});
