// Run history and service discovery, served like Azure ML (contracts §3): `GET /discovery` and
// `GET {history}/history/v1.0/.../runs/{runId}/details` with the run's log URLs.

import { getJob, type JobRecord } from '../arm/job-store';
import type { ArmContext } from '../arm-context';
import { armError } from '../http/arm-errors';
import type { Route } from '../http/types';
import { runLogUrls } from './log-urls';

export const RUN_HISTORY_PATH =
  '/history/v1.0/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}';

const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** ARM timestamps carry 7 fractional digits; run history answers plain ISO 8601 UTC. */
function historyTime(armTime: string | undefined): string | null {
  if (!armTime) return null;
  const date = new Date(armTime);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const STARTED = new Set(['Running', 'Finalizing']);
const FINISHED = new Set(['Completed', 'Failed', 'Canceled']);

export function runTimes(record: JobRecord): { startTimeUtc: string | null; endTimeUtc: string | null } {
  const start = record.statusHistory.find((entry) => STARTED.has(entry.status));
  const end = [...record.statusHistory].reverse().find((entry) => FINISHED.has(entry.status));
  return { startTimeUtc: historyTime(start?.time), endTimeUtc: historyTime(end?.time) };
}

export function discoveryRoute(ctx: Pick<ArmContext, 'baseUrl'>): Route {
  const base = ctx.baseUrl;
  return {
    method: 'GET',
    pattern: '/discovery',
    handler: () => ({
      status: 200,
      body: {
        api: base,
        catalog: base,
        experimentation: base,
        history: base,
        modelmanagement: base,
        pipelines: base,
        studiourl: 'https://ml.azure.com',
      },
    }),
  };
}

export function runHistoryRoutes(ctx: ArmContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: `${RUN_HISTORY_PATH}/runs/{runId}/details`,
      handler: async (_request, params) => {
        if (
          !same(params.subscriptionId, ctx.subscriptionId) ||
          !same(params.resourceGroupName, ctx.resourceGroup) ||
          !same(params.workspaceName, ctx.workspace)
        ) {
          return armError(404, 'WorkspaceNotFound', `Workspace '${params.workspaceName}' was not found.`);
        }
        const runId = params.runId ?? '';
        const record = getJob(ctx, runId);
        if (!record) return armError(404, 'RunNotFound', `Run '${runId}' was not found.`);
        return {
          status: 200,
          body: {
            runId: record.name,
            runUuid: null,
            parentRunId: record.parentJobName ?? null,
            status: record.properties.status,
            ...runTimes(record),
            ...(record.error ? { error: { error: record.error } } : {}),
            logFiles: await runLogUrls(ctx, record.name),
          },
        };
      },
    },
  ];
}
