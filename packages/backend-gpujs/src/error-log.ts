import { GpuJsBackendError } from './errors.js';

/**
 * Collects asynchronous device errors (error scopes, compilation info, device loss) while the
 * enqueue-style API returns void; `download` and `flush` await it and throw the first error,
 * naming the kernel it came from.
 */
export class ErrorLog {
  private readonly mode: string;
  private pending: Promise<unknown>[] = [];
  private first: GpuJsBackendError | undefined;

  constructor(mode: string) {
    this.mode = mode;
  }

  /** Records `message` (when the promise yields one) against `kernel`. */
  watch(result: Promise<string | undefined>, kernel: string): void {
    this.pending.push(
      result.then(
        (message) => {
          if (message !== undefined) this.record(kernel, message);
        },
        (cause: unknown) => this.record(kernel, String((cause as Error)?.message ?? cause)),
      ),
    );
    if (this.pending.length > 4096) {
      const settled = this.pending;
      this.pending = [Promise.all(settled)];
    }
  }

  record(kernel: string, message: string): void {
    this.first ??= new GpuJsBackendError(this.mode, kernel, message);
  }

  /** Waits for every watched result, then throws the first recorded error (once). */
  async check(): Promise<void> {
    while (this.pending.length > 0) {
      const settled = this.pending;
      this.pending = [];
      await Promise.all(settled);
    }
    const error = this.first;
    if (error) {
      this.first = undefined;
      throw error;
    }
  }
}
