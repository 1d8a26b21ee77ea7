import '@plexus/backend-js';
import { BackendError, getBackend, hasBackend, listBackends, setBackend } from '@plexus/tensor';

/** Imports a module by name; replaceable in tests. */
export type Importer = (specifier: string) => Promise<unknown>;

// A variable specifier: the optional backends are found at run time, never required to build.
const defaultImporter: Importer = (specifier) => import(specifier);

export interface SelectBackendOptions {
  /** Where the "backend: …" line goes (default console.log); null for silence. */
  log?: ((message: string) => void) | null;
  importer?: Importer;
}

export interface SelectedBackend {
  /** The backend now in use ('cpu', 'js', 'cuda', 'trace:cpu'). */
  name: string;
  /** What was asked for ('auto', …). */
  requested: string;
  /** Details shown to the user (the CPU's instruction set, why auto fell back…). */
  note?: string;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** The first line, at most 300 characters: enough to say why, short enough for a status line. */
const firstLine = (text: string): string => {
  const line = text.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};

interface CpuModule {
  cpuFeatures?: () => { isa: string; threads: number };
}

/** The native CPU backend, or the reason it cannot run (not installed, addon not built, …). */
async function tryCpu(importer: Importer): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  let mod: CpuModule;
  try {
    mod = (await importer('@plexus/backend-cpu')) as CpuModule;
  } catch (e) {
    return { ok: false, reason: `@plexus/backend-cpu did not load: ${firstLine(messageOf(e))}` };
  }
  if (!hasBackend('cpu')) return { ok: false, reason: "@plexus/backend-cpu loaded but registered no 'cpu' backend" };
  try {
    setBackend('cpu');
  } catch (e) {
    // The backend's own message may start with what we say anyway.
    return { ok: false, reason: firstLine(messageOf(e).replace(/^backend 'cpu' is unavailable: /, '')) };
  }
  let note = 'native';
  try {
    const f = mod.cpuFeatures?.();
    if (f) note = `native, ${f.isa}, ${f.threads} thread${f.threads === 1 ? '' : 's'}`;
  } catch {
    // Only a detail of the message.
  }
  return { ok: true, note };
}

async function selectInner(requested: string, importer: Importer): Promise<SelectedBackend> {
  switch (requested) {
    case 'auto': {
      const cpu = await tryCpu(importer);
      if (cpu.ok) return { name: 'cpu', requested, note: cpu.note };
      setBackend('js');
      return { name: 'js', requested, note: `pure TypeScript; the native cpu backend is unavailable: ${cpu.reason}` };
    }
    case 'js':
      setBackend('js');
      return { name: 'js', requested, note: 'pure TypeScript' };
    case 'cpu': {
      const cpu = await tryCpu(importer);
      if (!cpu.ok) throw new BackendError(`backend 'cpu' is unavailable: ${cpu.reason}. Use --backend js (or auto).`);
      return { name: 'cpu', requested, note: cpu.note };
    }
    case 'cuda': {
      // Already registered (by the caller, e.g. with another tfjs build injected): use it as is.
      if (hasBackend('cuda')) {
        setBackend('cuda');
        return { name: 'cuda', requested, note: 'TensorFlow.js (registered by the caller)' };
      }
      let mod: { registerCudaBackend?: () => Promise<unknown> };
      try {
        mod = (await importer('@plexus/backend-cuda')) as typeof mod;
      } catch (e) {
        throw new BackendError(`backend 'cuda': @plexus/backend-cuda did not load: ${messageOf(e)}`);
      }
      if (typeof mod.registerCudaBackend !== 'function') throw new BackendError("backend 'cuda': @plexus/backend-cuda does not export registerCudaBackend()");
      await mod.registerCudaBackend();
      setBackend('cuda');
      return { name: 'cuda', requested, note: 'NVIDIA GPU through TensorFlow.js' };
    }
    default: {
      if (requested.startsWith('trace:')) {
        const inner = await selectInner(requested.slice('trace:'.length) || 'auto', importer);
        let mod: { registerTraceBackend?: (inner: string) => string };
        try {
          mod = (await importer('@plexus/backend-trace')) as typeof mod;
        } catch (e) {
          throw new BackendError(`backend '${requested}': @plexus/backend-trace did not load: ${messageOf(e)}`);
        }
        if (typeof mod.registerTraceBackend !== 'function') throw new BackendError(`backend '${requested}': @plexus/backend-trace does not export registerTraceBackend()`);
        const name = `trace:${inner.name}`;
        if (!hasBackend(name)) mod.registerTraceBackend(inner.name);
        setBackend(name);
        return { name, requested, note: `recording every op on ${inner.name}${inner.note ? ` (${inner.note})` : ''}` };
      }
      if (hasBackend(requested)) {
        setBackend(requested);
        return { name: requested, requested };
      }
      throw new BackendError(`unknown backend '${requested}': choose auto, cpu, js, cuda or trace:<backend> (registered now: ${listBackends().join(', ')})`);
    }
  }
}

/**
 * Chooses the backend of a demo app and prints which one runs. 'auto' (default): the native 'cpu'
 * backend when @plexus/backend-cpu loads and its addon works, else 'js'; 'js'; 'cpu'; 'cuda'
 * (loads @plexus/backend-cuda and TensorFlow.js); 'trace:<inner>' records every op of <inner>.
 * A native build that failed never breaks an app: 'auto' falls back and says why.
 */
export async function selectBackend(name = 'auto', options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const importer = options.importer ?? defaultImporter;
  const selected = await selectInner(name.trim(), importer);
  const log = options.log === undefined ? console.log : options.log;
  log?.(`backend: ${selected.name}${selected.note ? ` (${selected.note})` : ''}`);
  return selected;
}

/** The op report of a 'trace:…' backend (undefined for others), for printing at the end of a run. */
export async function traceReport(options: { top?: number; importer?: Importer } = {}): Promise<string | undefined> {
  if (!getBackend().name.startsWith('trace:')) return undefined;
  const mod = (await (options.importer ?? defaultImporter)('@plexus/backend-trace')) as { traceReport?: (b?: undefined, o?: { top?: number }) => string | undefined };
  return mod.traceReport?.(undefined, { top: options.top ?? 15 });
}
