export { LogRing, type LogRingOptions } from './log-ring';
export {
  type RunningScoringServer,
  SCORING_SERVER_SCRIPT,
  ScoringServerInitError,
  type ScoringServerSpec,
  startScoringServer,
} from './scoring-server';
export { buildServerCommand, type ServerCommand, type ServerCommandContext } from './server-command';
