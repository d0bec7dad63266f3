// The GitHub side of the actions. The sticky PR comment (Octokit, ~10 MB once loaded) is its own
// entry, `@aml-actions/core/github/sticky-comment`, for the one action that posts it.
export { type AbortHandle, abortOnSignals, isCancellation, WorkflowCancelledError } from './abort';
export { CONNECTION_SECRET_INPUTS, readConnectionInputs } from './connection-inputs';
export {
  actionsInputSource,
  closestMatch,
  type DurationInputOptions,
  formatDuration,
  InputReader,
  type InputReaderOptions,
  type InputSource,
  type JsonInputOptions,
  type ListInputOptions,
  type NumberInputOptions,
  parseDuration,
  staticInputSource,
} from './inputs';
export { lineageTags, mergeTags } from './lineage';
export {
  type Annotation,
  actionsLogger,
  createActionsLogger,
  type LogEntry,
  type Logger,
  type LogLevel,
  type MemoryLogger,
  memoryLogger,
} from './logger';
export { derivedSecretForms, maskSecret } from './masking';
export {
  describeFailure,
  exportVariable,
  type FailureAnnotation,
  type FailureReport,
  getIdToken,
  getState,
  runAction,
  saveState,
  setFailed,
  setOutput,
} from './runtime';
export { type StepDeps, stepDeps, stepInputs, untilCancelled } from './step';
export {
  type Cell,
  escapeMarkdown,
  type Inline,
  type Markdown,
  markdown,
  SummaryBuilder,
  writeSummary,
} from './summary';
