import type { Backend } from '@plexus/tensor';

type Op = (...args: unknown[]) => unknown;

export interface OpProfileOptions {
  /** Untimed steps first (JIT, caches, memory pools). */
  warmup?: number;
  steps?: number;
  /** One line per op and input shapes instead of per op. */
  byShape?: boolean;
}

export interface OpTime {
  op: string;
  callsPerStep: number;
  msPerStep: number;
}

export interface OpProfile {
  msPerStep: number;
  /** Slowest first. */
  ops: OpTime[];
  /** Wall time per step inside the backend; the rest is frontend, autograd and GC. */
  backendMsPerStep: number;
}

const shapeOf = (a: unknown): string => {
  const shape = (a as { shape?: unknown } | null)?.shape;
  return Array.isArray(shape) ? `[${shape.join(',')}]` : '';
};

/**
 * Times `step` op by op: every primitive, accelerated op and host upload (`write`) of `backend`
 * is wrapped with a timer for the timed steps, and put back afterwards.
 */
export function profileOps(backend: Backend, step: () => void, options: OpProfileOptions = {}): OpProfile {
  const { warmup = 10, steps = 40, byShape = false } = options;
  for (let i = 0; i < warmup; i++) step();
  const times = new Map<string, { calls: number; ms: number }>();
  const timed = (name: string, f: Op): Op => (...args) => {
    const t = performance.now();
    const result = f(...args);
    const key = byShape && Array.isArray(args[0]) ? `${name} ${args[0].map(shapeOf).join(' ')}` : name;
    const entry = times.get(key) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += performance.now() - t;
    times.set(key, entry);
    return result;
  };
  const tables = [backend.primitives, backend.accelerated ?? {}] as unknown as Record<string, Op>[];
  const originals = tables.map((table) => ({ ...table }));
  const write = backend.write;
  const b = backend as { write: Op };
  try {
    tables.forEach((table) => Object.keys(table).forEach((k) => (table[k] = timed(k, table[k]))));
    b.write = timed('write', write.bind(backend) as Op);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const msPerStep = (performance.now() - t0) / steps;
    const ops = [...times].map(([op, e]) => ({ op, callsPerStep: e.calls / steps, msPerStep: e.ms / steps })).sort((x, y) => y.msPerStep - x.msPerStep);
    return { msPerStep, ops, backendMsPerStep: ops.reduce((s, o) => s + o.msPerStep, 0) };
  } finally {
    tables.forEach((table, i) => Object.assign(table, originals[i]));
    b.write = write as Op;
  }
}
