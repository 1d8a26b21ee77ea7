// Generation speed of GPT with and without the key/value cache (same seed, so the same tokens).
// A benchmark, not a test. Needs the built packages:
//   pnpm turbo run build --filter=@plexus/transformer...   (or `pnpm build`)
//   node packages/transformer/bench/kv-cache.mjs [--backend cpu|js] [--tokens 200] [--layers 4]
//        [--embd 128] [--heads 4] [--block 256] [--repeats 3]
// Prints one line per run and a final `result: {...}` JSON line with the median times and ratio.
import { parseArgs } from 'node:util';
import { manualSeed, setBackend, tensor } from '@plexus/tensor';
import { GPT } from '@plexus/transformer';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'js' },
    tokens: { type: 'string', default: '200' },
    layers: { type: 'string', default: '4' },
    embd: { type: 'string', default: '128' },
    heads: { type: 'string', default: '4' },
    block: { type: 'string', default: '256' },
    vocab: { type: 'string', default: '96' },
    repeats: { type: 'string', default: '3' },
  },
});

if (args.backend === 'cpu') await import('@plexus/backend-cpu');
else await import('@plexus/backend-js');
setBackend(args.backend);

const n = Number(args.tokens);
const config = { vocabSize: Number(args.vocab), blockSize: Number(args.block), nLayer: Number(args.layers), nHead: Number(args.heads), nEmbd: Number(args.embd) };
if (n + 1 > config.blockSize) throw new Error(`--tokens ${n} must stay within --block ${config.blockSize} (past blockSize the cache cannot help)`);
manualSeed(0);
const model = new GPT(config).eval();
const prompt = tensor([[1]], { dtype: 'int32' });

function run(useCache) {
  const t0 = performance.now();
  const out = model.generate(prompt, n, { seed: 42, topK: 20, useCache });
  return { ms: performance.now() - t0, tokens: Array.from(out.dataSync()) };
}

run(true); // warm up both paths (JIT, allocator)
run(false);
const times = { cached: [], uncached: [] };
let same = true;
for (let r = 0; r < Number(args.repeats); r++) {
  const a = run(true);
  const b = run(false);
  same &&= a.tokens.join() === b.tokens.join();
  times.cached.push(a.ms);
  times.uncached.push(b.ms);
  console.log(`run ${r + 1}: cached ${a.ms.toFixed(0)} ms, uncached ${b.ms.toFixed(0)} ms, same tokens: ${a.tokens.join() === b.tokens.join()}`);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const cachedMs = median(times.cached);
const uncachedMs = median(times.uncached);
console.log(`result: ${JSON.stringify({
  backend: args.backend, config, newTokens: n, cachedMs: Math.round(cachedMs), uncachedMs: Math.round(uncachedMs),
  cachedTokensPerSec: +(n / (cachedMs / 1000)).toFixed(1), uncachedTokensPerSec: +(n / (uncachedMs / 1000)).toFixed(1),
  speedup: +(uncachedMs / cachedMs).toFixed(2), sameTokens: same,
})}`);
