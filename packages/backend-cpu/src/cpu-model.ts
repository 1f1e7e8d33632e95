/** The subset of Node's `process` this module looks for; absent in browsers. */
interface NodeLikeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

interface NodeLikeOs {
  cpus?: () => readonly { model?: string }[];
}

/**
 * The CPU model name when running under Node (`os.cpus()[0].model`), found without a static
 * import of a Node built-in so the package still loads in browsers. Undefined elsewhere.
 */
export function cpuModel(): string | undefined {
  try {
    const process = (globalThis as { process?: NodeLikeProcess }).process;
    const os = process?.getBuiltinModule?.('node:os') as NodeLikeOs | undefined;
    const model = os?.cpus?.()[0]?.model?.trim();
    return model ? model : undefined;
  } catch {
    return undefined;
  }
}
