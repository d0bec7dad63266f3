// The gate: candidate metrics, the champion, the rules evaluated, then outputs, summary, PR
// comment and annotations; the exit code follows `fail-on`.
import path from 'node:path';
import {
  AssetVersions,
  type ChampionSource,
  ConfigurationError,
  connectDataPlane,
  connectWorkspace,
  evaluateRules,
  findModelVersion,
  type GateEvaluation,
  type MlflowClient,
  modelVersionMetrics,
  readJobMetrics,
  readMetricsFile,
  resolveChampion,
  suggestModel,
  type WorkspaceReaders,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import { isForkPullRequest, upsertStickyComment } from '@aml-actions/core/github/sticky-comment';
import type { CandidateSource, GateInputs } from './inputs';
import { buildReport, type GateReport } from './report';
import { buildSummary } from './summary';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  /** The event payload (GITHUB_EVENT_PATH, parsed); {} outside a workflow. */
  event: Record<string, unknown>;
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
  abortSignal?: AbortSignal;
}

export class GateFailedError extends Error {
  override readonly name = 'GateFailedError';
}

export async function run(inputs: GateInputs, deps: RunDeps): Promise<GateReport> {
  if (inputs.githubToken) deps.mask(inputs.githubToken);
  const readers = needsWorkspace(inputs) ? await workspaceReaders(inputs, deps) : undefined;
  const candidate = await readCandidate(inputs.candidate, readers, deps);
  deps.logger.info(`Candidate: ${candidate.source} (${Object.keys(candidate.metrics).length} metrics).`);
  const champion = await resolveChampion(resolvePaths(inputs.champion, deps.cwd), readers);
  deps.logger.info(
    champion.found ? `Champion: ${champion.description}.` : `No champion: ${champion.reason}.`,
  );

  const evaluation: GateEvaluation = evaluateRules(
    inputs.rules,
    candidate.metrics,
    champion.found ? champion.metrics : undefined,
    { onMissingChampion: inputs.onMissingChampion, input: 'rules' },
  );
  const report = buildReport(evaluation, candidate, champion, inputs.failOn);
  deps.setOutput('result', report.result);
  deps.setOutput('passed', String(report.passed));
  deps.setOutput('report', JSON.stringify(report));
  deps.setOutput('candidate-metrics', JSON.stringify(candidate.metrics));
  deps.setOutput('champion-metrics', JSON.stringify(champion.found ? champion.metrics : {}));

  for (const outcome of evaluation.outcomes) {
    const annotation = { title: `evaluate-gate: ${outcome.metric}` };
    if (outcome.outcome === 'fail') deps.logger.error(outcome.message, annotation);
    else if (outcome.outcome === 'warn') deps.logger.warning(outcome.message, annotation);
    else deps.logger.info(`✓ ${outcome.message}`);
  }
  const summary = buildSummary(report, runUrl(deps.env));
  await deps.writeSummary(summary);
  if (inputs.comment) await comment(inputs, deps, summary);

  if (!report.passed) {
    const failed = evaluation.outcomes.filter((outcome) => outcome.outcome === report.result).length;
    throw new GateFailedError(
      `The gate ${report.result === 'fail' ? 'failed' : 'warned and fail-on is warn'}: ${failed} of ${evaluation.outcomes.length} checks ${report.result === 'fail' ? 'failed' : 'warned'}.`,
    );
  }
  deps.logger.info(`Gate result: ${report.result} (${evaluation.outcomes.length} checks).`);
  return report;
}

export interface CandidateMetrics {
  metrics: Record<string, number>;
  source: string;
}

async function readCandidate(
  source: CandidateSource,
  readers: WorkspaceReaders | undefined,
  deps: RunDeps,
): Promise<CandidateMetrics> {
  switch (source.kind) {
    case 'inline':
      return { metrics: source.metrics, source: 'inline metrics' };
    case 'file': {
      const file = path.resolve(deps.cwd, source.file);
      return {
        metrics: await readMetricsFile(file, { jsonPath: source.jsonPath, input: 'metrics-file' }),
        source: `file ${source.file}`,
      };
    }
    case 'job': {
      const workspace = readers as WorkspaceReaders;
      const read = await readJobMetrics(await workspace.mlflow(), workspace.jobs, source.jobName, {
        step: source.step,
        aggregate: source.aggregate,
        abortSignal: deps.abortSignal,
      });
      return { metrics: read.metrics, source: read.source };
    }
    case 'model': {
      const workspace = readers as WorkspaceReaders;
      const version = await findModelVersion(
        workspace.assets,
        workspace.rest,
        workspace.workspace,
        source.model,
        {
          input: 'model',
          abortSignal: deps.abortSignal,
        },
      );
      if (!version) {
        throw new ConfigurationError(`model '${source.model.name}' is not registered`, {
          input: 'model',
          fix: await suggestModel(workspace.assets, source.model.name, {}),
        });
      }
      const read = await modelVersionMetrics(workspace, version);
      return { metrics: read.metrics, source: read.from };
    }
  }
}

function needsWorkspace(inputs: GateInputs): boolean {
  return (
    inputs.candidate.kind === 'job' ||
    inputs.candidate.kind === 'model' ||
    inputs.champion.mode === 'model' ||
    inputs.champion.mode === 'endpoint'
  );
}

async function workspaceReaders(inputs: GateInputs, deps: RunDeps): Promise<WorkspaceReaders> {
  const session = await (deps.connect ?? connectWorkspace)({
    inputs: inputs.connection,
    env: deps.env,
    cwd: deps.cwd,
    onSecret: deps.mask,
    ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
  });
  deps.logger.info(
    `Workspace ${session.workspace.workspace}, signed in with ${session.credential.description}.`,
  );
  let mlflow: Promise<MlflowClient> | undefined;
  return {
    rest: session.clients.rest,
    workspace: session.workspace,
    assets: new AssetVersions(session.clients.rest, session.workspace),
    jobs: session.jobs,
    mlflow: () => {
      mlflow ??= connectDataPlane(session, deps.abortSignal).then((plane) => plane.mlflow);
      return mlflow;
    },
    abortSignal: deps.abortSignal,
  };
}

function resolvePaths(source: ChampionSource, cwd: string): ChampionSource {
  return source.mode === 'file' ? { ...source, file: path.resolve(cwd, source.file) } : source;
}

async function comment(inputs: GateInputs, deps: RunDeps, summary: string): Promise<void> {
  const pullRequest = deps.event.pull_request as { number?: unknown } | undefined;
  const number = typeof pullRequest?.number === 'number' ? pullRequest.number : undefined;
  if (number === undefined) {
    deps.logger.info(
      'comment is true, but this run is not for a pull request: the report is in the job summary only.',
    );
    return;
  }
  const [owner, repo] = (deps.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!inputs.githubToken || !owner || !repo) {
    deps.logger.warning(
      'No github-token (or GITHUB_REPOSITORY): the PR comment was not written; the report is in the job summary.',
    );
    return;
  }
  try {
    const result = await upsertStickyComment({
      token: inputs.githubToken,
      owner,
      repo,
      issueNumber: number,
      key: inputs.commentKey,
      body: summary,
      ...(deps.env.GITHUB_API_URL ? { baseUrl: deps.env.GITHUB_API_URL } : {}),
      ...(deps.abortSignal ? { abortSignal: deps.abortSignal } : {}),
    });
    if (result.action === 'skipped') {
      const fork = isForkPullRequest(deps.event)
        ? ' (a pull request from a fork gets a read-only token)'
        : '';
      deps.logger.warning(
        `The PR comment was not written${fork}: ${result.reason} The report is in the job summary.`,
      );
      return;
    }
    deps.setOutput('comment-url', result.url);
    deps.logger.info(`PR comment ${result.action}: ${result.url}`);
  } catch (error) {
    // The gate's verdict stands on its own: a comment that cannot be written is not a gate failure.
    deps.logger.warning(`The PR comment could not be written: ${(error as Error).message}`);
  }
}

function runUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
