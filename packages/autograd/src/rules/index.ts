import type { OpName } from '@plexus/tensor';
import { acceleratedRules } from './accelerated.js';
import { binaryRules, compareRules, unaryRules, whereRules } from './elementwise.js';
import { movementRules, linalgRules } from './movement.js';
import { reduceRules } from './reduce.js';
import type { GradRuleTable } from './types.js';

/** One gradient rule per primitive and accelerated op; the type rejects a missing one. */
export const gradRules: GradRuleTable<OpName> = {
  ...unaryRules,
  ...binaryRules,
  ...compareRules,
  ...whereRules,
  ...reduceRules,
  ...movementRules,
  ...linalgRules,
  ...acceleratedRules,
};
export type { GradRule, GradContext, GradRuleTable, RuleGrad } from './types.js';
