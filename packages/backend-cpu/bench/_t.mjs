import '@plexus/backend-cpu';
import { add, mul, randn, greater, where, setBackend, sum, scope } from '@plexus/tensor';
setBackend('cpu');
const n = 4 * 1024 * 1024;
const [a, b, c] = [randn([n]), randn([n]), randn([n])];
for (let it = 0; it < 5; it++) {
  scope(() => {
    let t = performance.now(); const lap = (s) => { const u = performance.now(); process.stdout.write(`${s} ${(u - t).toFixed(2)}  `); t = u; };
    const m = mul(a, b); lap('mul');
    const v = add(m, c); lap('add');
    const g = greater(v, 0); lap('gt');
    const w = where(g, v, 0); lap('where');
    const s = sum(w); lap('sum');
    s.item(); lap('item');
    console.log();
  });
}
