import '@plexus/backend-js';
import '@plexus/backend-cpu';
import { manualSeed, setBackend } from '@plexus/tensor';
import { mseLoss, crossEntropy } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import { SequenceClassifier, SequenceRegressor, addingProblem } from '@plexus/rnn';
import { randn, randint } from '@plexus/tensor';

setBackend(process.env.BK ?? 'cpu');
manualSeed(0);
const task = process.env.TASK ?? 'adding';
const m = task === 'adding' ? new SequenceRegressor({ cell: (process.env.CELL ?? 'lstm') as 'lstm', inputSize: 2, hiddenSize: 64 }) : new SequenceClassifier({ cell: (process.env.CELL ?? 'lstm') as 'lstm', inputSize: 28, hiddenSize: 128, numClasses: 10 });
const opt = new Adam(m.parameters(), { lr: 1e-3 });
for (let k = 0; k < 4; k++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  opt.zeroGrad();
  let loss;
  if (task === 'adding') {
    const { x, y } = addingProblem(128, 100, { seed: k });
    loss = mseLoss(m.forward(x), y);
  } else {
    loss = crossEntropy(m.forward(randn([128, 28, 28])), randint(0, 10, [128], { dtype: 'int32' }));
  }
  loss.backward();
  opt.step();
  loss.item();
  const c = process.cpuUsage(c0);
  console.log(`${process.env.BK ?? 'cpu'} ${task} step ${k}: wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
}
