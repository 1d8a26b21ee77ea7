// W6-style elementwise throughput: sum(relu(a*b + c)) over 4M float32, reported as GB/s of the
// three inputs read (48 MB per evaluation). Prints wall time and CPU time per evaluation (the
// latter is steadier on a busy machine). Needs `pnpm build`. Usage:
//   node bench/elementwise.mjs [--backend js|cpu] [--scope] [n]
//   --scope disposes each evaluation's tensors at once (else the garbage collector does, between
//   iterations: the loop awaits an event-loop turn after each one).
// PLEXUS_CPU_LAZY=0 turns off the backend's fusion of elementwise ops (to see its effect).
import '@plexus/backend-cpu';
import '@plexus/backend-js';
import { add, mul, randn, relu, scope, setBackend, sum } from '@plexus/tensor';

const argv = process.argv.slice(2);
const backendName = argv.includes('--backend') ? argv[argv.indexOf('--backend') + 1] : 'cpu';
const n = Number(argv.find((a) => /^\d+$/.test(a)) ?? 4 * 1024 * 1024);
const useScope = argv.includes('--scope');
setBackend(backendName);

const [a, b, c] = [randn([n]), randn([n]), randn([n])];
const w6 = () => sum(relu(add(mul(a, b), c))).item();
const once = useScope ? () => scope(w6) : w6;

const wall = [];
const cpu = [];
for (let i = 0; i < 60; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  once();
  const t1 = performance.now();
  const cu = process.cpuUsage(c0);
  if (i >= 10) {
    wall.push(t1 - t0);
    cpu.push((cu.user + cu.system) / 1000);
  }
  await new Promise((r) => setImmediate(r));
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const gbs = (ms) => ((12 * n) / ms / 1e6).toFixed(1);
console.log(
  `${backendName} W6 sum(relu(a*b+c)) n=${n}${useScope ? ' (scope)' : ''}${process.env.PLEXUS_CPU_LAZY === '0' ? ' (no fusion)' : ''}: ` +
    `wall ${med(wall).toFixed(2)} ms median (${gbs(med(wall))} GB/s), ${best(wall).toFixed(2)} ms best (${gbs(best(wall))} GB/s); ` +
    `cpu time ${med(cpu).toFixed(2)} ms median`,
);
