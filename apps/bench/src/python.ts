import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PYTHON_RUNNER } from './paths.js';
import type { ProbeResult } from './protocol.js';
import { parseMarked } from './protocol.js';

/** How the PyTorch peer will be run, or why it cannot be. */
export interface TorchSetup {
  /** The interpreter that imports torch; undefined when none does. */
  python?: string;
  env: NodeJS.ProcessEnv;
  /** Versions, BLAS and threads as the runner itself reports them. */
  info: Record<string, string>;
  /** Why torch is not used ('not installed: …'), or ''. */
  note: string;
}

/**
 * Debian's python3-torch links the reference BLAS (about 5 GFLOP/s) unless a faster libblas.so.3
 * comes first on the library path; libopenblas0-openmp installs one here.
 */
export function openblasDir(): string | undefined {
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const dir = `/usr/lib/${arch}-linux-gnu/openblas-openmp`;
  return existsSync(dir) ? dir : undefined;
}

const DEFAULT_PYTHONS = ['python3', '/usr/bin/python3'];

/** Finds an interpreter that imports torch: `explicit`, else python3, else /usr/bin/python3. */
export function findTorch(explicit: string | undefined, threads: number): TorchSetup {
  const candidates = explicit ? [explicit] : DEFAULT_PYTHONS;
  const blas = openblasDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    ...(blas ? { LD_LIBRARY_PATH: [blas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
  };
  // The probe imports torch: the first interpreter where it succeeds is the one.
  const failures: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, [PYTHON_RUNNER, '--probe'], { env, encoding: 'utf8', timeout: 60_000 });
    let result: ProbeResult | undefined;
    try {
      result = probe.stdout ? parseMarked<ProbeResult>(probe.stdout) : undefined;
    } catch {
      result = undefined;
    }
    if (result?.ok) return { python, env, info: { ...result.info, interpreter: python, ld_library_path: blas ?? '(default)' }, note: '' };
    // An interpreter that runs but lacks torch is "not installed"; anything else is worth showing.
    if (result && !/^not installed/.test(result.note)) failures.push(`${python}: ${result.note}`);
  }
  return { env, info: {}, note: failures.length ? `torch probe failed: ${failures.join('; ')}` : `not installed (no torch for ${candidates.join(' or ')})` };
}
