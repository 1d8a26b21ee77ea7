// Shared by the op-profile scripts: wraps every primitive, accelerated op and host upload ('write')
// of a backend with a timer, runs a step function, and prints calls and wall time per op per step.
// SHAPES=1 keys each line by op and input shapes; STEPS=n sets the timed steps.

/** Times `step` (after `warmup` untimed calls) op by op on `backend`; prints the table and a summary. */
export function profileSteps(backend, step, { label, warmup = 10, steps = 40, unitsPerStep } = {}) {
  const counts = {};
  const times = {};
  const tables = [backend.primitives, backend.accelerated, { write: backend.write.bind(backend) }];
  backend.write = (...a) => tables[2].write(...a);
  for (const table of tables) {
    for (const k of Object.keys(table)) {
      const f = table[k];
      table[k] = (...a) => {
        const t = performance.now();
        const r = f(...a);
        const key = process.env.SHAPES && Array.isArray(a[0]) ? `${k} ${a[0].map((i) => `[${i.shape}]`).join(' ')}` : k;
        times[key] = (times[key] ?? 0) + performance.now() - t;
        counts[key] = (counts[key] ?? 0) + 1;
        return r;
      };
    }
  }
  for (let i = 0; i < warmup; i++) step(i);
  for (const k in counts) counts[k] = times[k] = 0;
  const n = Number(process.env.STEPS ?? steps);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step(i);
  const total = (performance.now() - t0) / n;
  let calls = 0;
  let inBackend = 0;
  for (const k of Object.keys(counts).sort((a, b) => times[b] - times[a])) {
    calls += counts[k];
    inBackend += times[k];
    if (counts[k] > 0) console.log(`${k.padEnd(process.env.SHAPES ? 48 : 18)} ${(counts[k] / n).toFixed(1).padStart(6)} calls/step ${(times[k] / n).toFixed(3).padStart(8)} ms/step`);
  }
  const rate = unitsPerStep ? ` (${((unitsPerStep * 1000) / total).toFixed(0)} samples/s)` : '';
  console.log(`${label} step ${total.toFixed(2)} ms${rate}: ${(calls / n).toFixed(0)} backend calls taking ${(inBackend / n).toFixed(2)} ms, the rest (frontend, autograd, GC) ${(total - inBackend / n).toFixed(2)} ms`);
}
