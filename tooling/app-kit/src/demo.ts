import { selectBackend, traceReport } from './backend.js';
import { UsageError } from './cli.js';
import { printResult } from './result.js';

/** An app's command line, parsed. */
export interface ParsedDemo<O> {
  options: O;
  backend: string;
  help: boolean;
}

/** What runDemo needs of an app. */
export interface Demo<O> {
  /** `pnpm demo <name>`; also the prefix of its usage errors. */
  name: string;
  /** The --help text, also printed after a usage error. */
  usage: string;
  /** Throws a UsageError for a bad command line. */
  parseOptions(argv: readonly string[]): ParsedDemo<O>;
  /** The work; resolves to what the `result:` line prints. */
  run(options: O, log: (line: string) => void): Promise<object>;
}

/** Where runDemo reads and writes (default: the process's arguments, stdout and stderr). */
export interface DemoIO {
  argv?: readonly string[];
  log?: (line: string) => void;
  error?: (line: string) => void;
}

/**
 * The life of a demo app: parses the command line (a UsageError prints `<name>: message` and the
 * usage on stderr, exit status 2; --help prints the usage, 0), then prints the `command:` line that
 * reproduces the run, selects the backend, runs, prints the op report of a `trace:` backend and
 * last the `result:` line that scripts read. Resolves to the exit status:
 * `process.exitCode = await runDemo({ name, usage, parseOptions, run })`.
 */
export async function runDemo<O>(demo: Demo<O>, io: DemoIO = {}): Promise<number> {
  const argv = io.argv ?? process.argv.slice(2);
  const log = io.log ?? console.log;
  const error = io.error ?? console.error;
  let parsed: ParsedDemo<O>;
  try {
    parsed = demo.parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    error(`${demo.name}: ${e.message}\n\n${demo.usage}`);
    return 2;
  }
  if (parsed.help) {
    log(demo.usage);
    return 0;
  }
  const args = argv.join(' ');
  log(`command: pnpm demo ${demo.name}${args ? ` ${args}` : ''}`);
  await selectBackend(parsed.backend, { log });
  const result = await demo.run(parsed.options, log);
  const report = await traceReport();
  if (report) log(report);
  printResult({ ...result }, log);
  return 0;
}
