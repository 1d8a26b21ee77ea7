/**
 * The timing loop, shared by the JavaScript runners (runners/torch_runner.py mirrors it): warm up,
 * then `repeats` timed runs of at least `minTime` seconds each; the median run counts.
 */

export interface TimingOptions {
  /** Seconds each timed repeat runs at least (full: 3). */
  minTime: number;
  /** Timed repeats; the median is reported (full: 3). */
  repeats: number;
  /** Seconds of warm-up (at least one step is always run). */
  warmup: number;
  /** Seconds the whole cell may take, process start included (the parent kills it then). */
  cap: number;
}

export interface Measurement {
  /** Median steps per second over the repeats. */
  stepsPerSecond: number;
  /** Steps per second of each repeat. */
  rates: number[];
  /** Timed steps in all. */
  steps: number;
}

/** Thrown when the remaining repeats cannot finish inside the cap; the message says why. */
export class TooSlowError extends Error {
  override readonly name = 'TooSlowError';
}

/** Seconds the child may still need after its last step: reporting and exiting. */
const EXIT_MARGIN = 1.5;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `step`. `clock` returns seconds since the process started (the cap counts from there,
 * like the parent's timeout).
 */
export function measure(
  step: () => unknown,
  options: TimingOptions,
  clock: () => number = () => performance.now() / 1000,
  onFirstStep?: (seconds: number) => void,
): Measurement {
  const { minTime, repeats, warmup, cap } = options;
  const warmStart = clock();
  let last = 0;
  let first = true;
  do {
    const t = clock();
    step();
    last = clock() - t;
    if (first) onFirstStep?.(last);
    first = false;
  } while (clock() - warmStart < warmup);

  // A repeat runs until minTime has passed, so it overshoots by up to one step.
  const perRepeat = last >= minTime ? last : minTime + last;
  const projected = clock() + repeats * perRepeat;
  if (projected > cap - EXIT_MARGIN) {
    throw new TooSlowError(
      `too slow: one step takes ${last.toFixed(1)} s, so ${repeats} timed repeat${repeats > 1 ? 's' : ''} of ≥ ${minTime} s would end ` +
        `near ${projected.toFixed(0)} s, past the ${cap} s cap per cell`,
    );
  }

  const rates: number[] = [];
  let steps = 0;
  for (let r = 0; r < repeats; r++) {
    const start = clock();
    let n = 0;
    let elapsed = 0;
    do {
      step();
      n++;
      elapsed = clock() - start;
    } while (elapsed < minTime);
    rates.push(n / elapsed);
    steps += n;
  }
  return { stepsPerSecond: median(rates), rates, steps };
}
