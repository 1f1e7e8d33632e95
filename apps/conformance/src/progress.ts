/**
 * Progress on stderr: a redrawn bar on a TTY, plain lines otherwise (CI logs). Failures are
 * always printed as their own line so they survive the bar being redrawn.
 */
import type { ProgressEvent } from '@recurrent/conformance';

export interface Progress {
  readonly onEvent: (event: ProgressEvent) => void;
  readonly line: (text: string) => void;
  readonly finish: () => void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let barShown = false;
  let lastPlain = -1;
  const clearBar = () => {
    if (barShown) {
      stream.write('\r\x1b[2K');
      barShown = false;
    }
  };
  const line = (text: string) => {
    clearBar();
    stream.write(`${text}\n`);
  };
  const bar = (label: string, done: number, total: number, detail: string) => {
    const width = 24;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const text = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}`;
    const columns = stream.columns ?? 120;
    stream.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
    barShown = true;
  };
  const plain = (label: string, done: number, total: number, detail: string) => {
    // One line per tenth of the work, plus the last.
    const tenth = Math.floor((done * 10) / Math.max(total, 1));
    if (tenth !== lastPlain || done === total) {
      lastPlain = tenth;
      line(`${label} ${done}/${total} ${detail}`);
    }
  };
  return {
    line,
    onEvent(event) {
      if (event.kind === 'backend') {
        lastPlain = -1;
        const { backend } = event;
        line(
          backend.available
            ? `backend ${backend.name}: ${backend.info!.dtype} on ${backend.info!.device}${backend.info!.adapter ? ` (${backend.info!.adapter})` : ''}`
            : `backend ${backend.name}: unavailable — ${backend.reason}`,
        );
        return;
      }
      if (event.kind === 'check') {
        const { result } = event;
        if (result.status === 'fail' || result.status === 'error') {
          line(`  ${result.status.toUpperCase()} ${event.backend} ${result.id}: ${result.message}`);
        }
        (tty ? bar : plain)(`check ${event.backend}`, event.done, event.total, result.id);
        return;
      }
      const { result } = event;
      const detail = `${result.runner} ${result.workload} ${result.cell} ${result.mode} ${result.status}`;
      if (event.done === 1) {
        lastPlain = -1;
      }
      (tty ? bar : plain)('bench', event.done, event.total, detail);
    },
    finish: clearBar,
  };
}
