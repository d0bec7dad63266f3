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
export {
  isForkPullRequest,
  MAX_COMMENT_LENGTH,
  type StickyCommentOptions,
  type StickyCommentResult,
  stickyCommentBody,
  stickyMarker,
  upsertStickyComment,
} from './sticky-comment';
export {
  type Cell,
  escapeMarkdown,
  type Inline,
  type Markdown,
  markdown,
  SummaryBuilder,
  writeSummary,
} from './summary';
