/**
 * One benchmark cell in its own process: `worker.js '<CellRequest JSON>'`. Prints one line,
 * RESULT_MARKER + CellResult JSON, and exits. `worker.js --probe <runner> <backend>` reports the
 * runner's versions instead.
 */
import { runCell, probeRunner } from './cell-run.js';
import { RESULT_MARKER } from './protocol.js';
import type { CellRequest, RunnerName } from './protocol.js';

async function main(argv: string[]): Promise<void> {
  const result = argv[0] === '--probe' ? await probeRunner(argv[1] as RunnerName, argv[2]) : await runCell(JSON.parse(argv[0]) as CellRequest);
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`, () => process.exit(0));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
