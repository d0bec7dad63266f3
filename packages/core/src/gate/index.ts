// The evaluate-gate rule language: parsing (rules) and evaluation against candidate/champion metrics.

export * from './champion';
export {
  type EvaluateRulesOptions,
  evaluateRules,
  type GateEvaluation,
  type MissingChampionPolicy,
  type Outcome,
  type RuleOutcome,
} from './evaluate';
export * from './job-metrics';
export * from './metric-files';
export * from './model-metrics';
export {
  type Comparator,
  describeThreshold,
  type GateRule,
  parseRules,
  type Severity,
  type Threshold,
} from './rules';
