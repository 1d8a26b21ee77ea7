import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';

export const PROBLEMS = ['poisson', 'burgers', 'both'] as const;
export type ProblemChoice = (typeof PROBLEMS)[number];

/** The settings of one problem's run. */
export interface ProblemSettings {
  adamSteps: number;
  lr: number;
  lbfgsIters: number;
  collocation: number;
  /** Points on the boundary (and, for Burgers, as many again on the initial line). */
  conditionPoints: number;
  hidden: number;
  layers: number;
  /** Rounds of residual-based refinement after the first L-BFGS phase (0: none). */
  refineRounds: number;
  /** Points added per round (the candidates with the largest residual). */
  refinePoints: number;
  /** L-BFGS iterations after each round. */
  refineIters: number;
  /** Latin-hypercube candidates the points are chosen from. */
  refineCandidates: number;
}

/** Everything a run needs; `run()` takes it, the command line fills it. */
export interface PinnOptions {
  problem: ProblemChoice;
  dtype: 'float32' | 'float64';
  seed: number;
  out: string;
  logEvery: number;
  poisson: ProblemSettings;
  burgers: ProblemSettings;
  /** Grid of the error and the plots: [times, positions] for Burgers, points for Poisson. */
  evalGrid: { poisson: number; burgersT: number; burgersX: number };
  /** Write the PNG/SVG plots (default true). */
  plots: boolean;
  /** How u_t, u_x, u_xx are computed: forward (Taylor) mode through the MLP, or autograd's reverse passes. */
  derivatives: 'forward' | 'autograd';
}

export const PROBLEM_DEFAULTS: { poisson: ProblemSettings; burgers: ProblemSettings } = {
  poisson: {
    adamSteps: 1000, lr: 1e-2, lbfgsIters: 500, collocation: 64, conditionPoints: 2, hidden: 20, layers: 2,
    refineRounds: 0, refinePoints: 8, refineIters: 200, refineCandidates: 1000,
  },
  burgers: {
    adamSteps: 2000, lr: 1e-3, lbfgsIters: 4000, collocation: 2500, conditionPoints: 100, hidden: 20, layers: 6,
    refineRounds: 2, refinePoints: 500, refineIters: 1500, refineCandidates: 20000,
  },
};

export const DEFAULTS: CommonDefaults = { epochs: 1000, batchSize: 1, lr: 1e-3, out: 'out/pinn' };

export const USAGE = `Usage: pnpm demo pinn [options]

Physics-informed neural networks trained with Adam, then L-BFGS (strong Wolfe):
  poisson  −u'' = π² sin(πx) on [0, 1], u(0) = u(1) = 0; error against u = sin(πx)
  burgers  u_t + u·u_x = (0.01/π)·u_xx on [0, 1] × [−1, 1], u(0, x) = −sin(πx), u(t, ±1) = 0;
           error against the Hopf–Cole solution (Gauss–Hermite quadrature)

  --problem NAME      ${PROBLEMS.join(', ')} (default both)
  --dtype TYPE        float64 (default) or float32
  --epochs N          Adam steps (default ${PROBLEM_DEFAULTS.poisson.adamSteps} Poisson, ${PROBLEM_DEFAULTS.burgers.adamSteps} Burgers)
  --lr X              Adam learning rate (default ${PROBLEM_DEFAULTS.poisson.lr} Poisson, ${PROBLEM_DEFAULTS.burgers.lr} Burgers)
  --lbfgs-iters N     L-BFGS iterations after Adam (default ${PROBLEM_DEFAULTS.poisson.lbfgsIters} Poisson, ${PROBLEM_DEFAULTS.burgers.lbfgsIters} Burgers)
  --collocation N     interior points (default ${PROBLEM_DEFAULTS.poisson.collocation} Poisson, ${PROBLEM_DEFAULTS.burgers.collocation} Burgers, Latin hypercube)
  --condition-points N  boundary points, and as many initial points for Burgers (default ${PROBLEM_DEFAULTS.poisson.conditionPoints} Poisson, ${PROBLEM_DEFAULTS.burgers.conditionPoints} Burgers)
  --hidden N          neurons per hidden layer (default ${PROBLEM_DEFAULTS.burgers.hidden})
  --layers N          hidden layers (default ${PROBLEM_DEFAULTS.poisson.layers} Poisson, ${PROBLEM_DEFAULTS.burgers.layers} Burgers)
  --refine-rounds N   residual-based refinement rounds after L-BFGS: each adds the points with the
                      largest residual among fresh candidates, then runs L-BFGS again (default
                      ${PROBLEM_DEFAULTS.poisson.refineRounds} Poisson, ${PROBLEM_DEFAULTS.burgers.refineRounds} Burgers)
  --refine-points N   points added per round (default ${PROBLEM_DEFAULTS.burgers.refinePoints} Burgers)
  --refine-iters N    L-BFGS iterations after each round (default ${PROBLEM_DEFAULTS.burgers.refineIters} Burgers)
  --refine-candidates N  Latin-hypercube candidates per round (default ${PROBLEM_DEFAULTS.burgers.refineCandidates} Burgers)
  --log-every N       log every N Adam steps / L-BFGS iterations (default 100)
  --derivatives HOW   forward (default: u_t, u_x, u_xx by forward/Taylor mode through the MLP, about
                      2x faster) or autograd (reverse-over-reverse grad with createGraph); same values
  --no-plots          skip the PNG/SVG plots
${commonUsage({ ...DEFAULTS, epochs: PROBLEM_DEFAULTS.burgers.adamSteps }).split('\n').filter((l) => !/--(batch-size|epochs|lr) /.test(l)).join('\n')}`;

export function parseOptions(argv: readonly string[]): { options: PinnOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      problem: { type: 'string' },
      dtype: { type: 'string' },
      'lbfgs-iters': { type: 'string' },
      collocation: { type: 'string' },
      'condition-points': { type: 'string' },
      hidden: { type: 'string' },
      layers: { type: 'string' },
      'log-every': { type: 'string' },
      'refine-rounds': { type: 'string' },
      'refine-points': { type: 'string' },
      'refine-iters': { type: 'string' },
      'refine-candidates': { type: 'string' },
      'no-plots': { type: 'boolean' },
      derivatives: { type: 'string' },
    },
  });
  const given = (name: string): boolean => values[name] !== undefined;
  const settings = (d: ProblemSettings): ProblemSettings => ({
    adamSteps: given('epochs') ? common.epochs : d.adamSteps,
    lr: given('lr') ? common.lr : d.lr,
    lbfgsIters: numberOption('lbfgs-iters', values['lbfgs-iters'], d.lbfgsIters, 'nonNegativeInt'),
    collocation: numberOption('collocation', values.collocation, d.collocation, 'positiveInt'),
    conditionPoints: numberOption('condition-points', values['condition-points'], d.conditionPoints, 'positiveInt'),
    hidden: numberOption('hidden', values.hidden, d.hidden, 'positiveInt'),
    layers: numberOption('layers', values.layers, d.layers, 'positiveInt'),
    refineRounds: numberOption('refine-rounds', values['refine-rounds'], d.refineRounds, 'nonNegativeInt'),
    refinePoints: numberOption('refine-points', values['refine-points'], d.refinePoints, 'positiveInt'),
    refineIters: numberOption('refine-iters', values['refine-iters'], d.refineIters, 'nonNegativeInt'),
    refineCandidates: numberOption('refine-candidates', values['refine-candidates'], d.refineCandidates, 'positiveInt'),
  });
  const poisson = settings(PROBLEM_DEFAULTS.poisson);
  if (poisson.conditionPoints < 2) throw new UsageError('--condition-points must be at least 2 (one per end)');
  return {
    backend: common.backend,
    help: common.help,
    options: {
      problem: choiceOption('problem', values.problem, PROBLEMS, 'both'),
      dtype: choiceOption('dtype', values.dtype, ['float64', 'float32'] as const, 'float64'),
      seed: common.seed,
      out: common.out,
      logEvery: numberOption('log-every', values['log-every'], 100, 'positiveInt'),
      poisson,
      burgers: settings(PROBLEM_DEFAULTS.burgers),
      evalGrid: { poisson: 1001, burgersT: 101, burgersX: 256 },
      plots: values['no-plots'] !== true,
      derivatives: choiceOption('derivatives', values.derivatives, ['forward', 'autograd'] as const, 'forward'),
    },
  };
}
