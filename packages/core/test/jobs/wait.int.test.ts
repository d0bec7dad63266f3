// waitForJob over real HTTPS through JobClient and ArmRestClient: Retry-After as the server sends
// it, server errors after the pipeline's own retries, a missing job.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmRestClient } from '../../src/arm/rest';
import { AzureRequestError } from '../../src/errors';
import { JobClient } from '../../src/jobs/job-client';
import { type TransientPollError, waitForJob } from '../../src/jobs/wait';
import {
  type Handler,
  type LocalHttpsServer,
  sendJson,
  startLocalHttpsServer,
} from '../arm/support/local-https';
import { ARM_SCOPE, FakeCredential, pathOf } from './support/data-plane';

const workspace = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
const JOB_PATH =
  '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/jobs/j1';

let server: LocalHttpsServer;
let handler: Handler;
let arrivals: number[];

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => {
    arrivals.push(Date.now());
    return handler(request, response);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  arrivals = [];
});

function jobs(): JobClient {
  const rest = new ArmRestClient({
    credential: new FakeCredential(),
    endpoint: server.origin,
    scope: ARM_SCOPE,
    caCertificates: server.ca,
    retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    env: {},
  });
  return new JobClient(rest, workspace);
}

const jobBody = (status: string) => ({
  id: JOB_PATH,
  name: 'j1',
  type: 'Microsoft.MachineLearningServices/workspaces/jobs',
  properties: { jobType: 'Command', status },
});

/** Answers the statuses in turn (the last forever), with the given headers. */
function statuses(list: string[], headers: Record<string, string> = {}): Handler {
  let index = 0;
  return (_request, response) => {
    const status = list[Math.min(index, list.length - 1)] as string;
    index += 1;
    sendJson(response, 200, jobBody(status), headers);
  };
}

const quick = { initialDelayInMs: 10, maxDelayInMs: 20 };

describe('JobClient.poll', () => {
  it('returns the job with the Retry-After of the answer', async () => {
    handler = statuses(['Running'], { 'Retry-After': '3' });
    const polled = await jobs().poll('j1');
    expect(polled.job.properties.status).toBe('Running');
    expect(polled.retryAfterInMs).toBe(3000);
    expect(pathOf(server.requests[0]?.url ?? '')).toBe(JOB_PATH);
  });

  it('returns no Retry-After when the answer has none', async () => {
    handler = statuses(['Queued']);
    expect((await jobs().poll('j1')).retryAfterInMs).toBeUndefined();
  });
});

describe('waitForJob over HTTPS', () => {
  it('waits at least the Retry-After the service sends between polls', async () => {
    handler = statuses(['Running', 'Running', 'Completed'], { 'retry-after-ms': '300' });
    const result = await waitForJob(jobs(), 'j1', { schedule: quick });
    expect(result).toMatchObject({ status: 'Completed', polls: 3, timedOut: false });
    expect(arrivals).toHaveLength(3);
    for (let i = 1; i < arrivals.length; i += 1) {
      expect((arrivals[i] as number) - (arrivals[i - 1] as number)).toBeGreaterThanOrEqual(290);
    }
  });

  it('polls on its own schedule when there is no Retry-After', async () => {
    handler = statuses(['Running', 'Running', 'Running', 'Completed']);
    const started = Date.now();
    await waitForJob(jobs(), 'j1', { schedule: quick });
    expect(arrivals).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rides out a 503 that outlasts the pipeline retries, reporting it', async () => {
    let calls = 0;
    handler = (_request, response) => {
      calls += 1;
      // Calls 2 and 3 are the first poll after Running and the pipeline's one retry of it.
      if (calls === 2 || calls === 3)
        sendJson(response, 503, { error: { code: 'ServiceBusy', message: 'busy' } });
      else sendJson(response, 200, jobBody(calls >= 4 ? 'Completed' : 'Running'));
    };
    const failures: TransientPollError[] = [];
    const result = await waitForJob(jobs(), 'j1', {
      schedule: quick,
      onTransientError: (failure) => failures.push(failure),
    });
    expect(result.status).toBe('Completed');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toBeInstanceOf(AzureRequestError);
    expect(failures[0]?.error).toMatchObject({ code: 'ServiceBusy' });
    expect(calls).toBe(4);
  });

  it('fails at once on a missing job', async () => {
    handler = (_request, response) =>
      sendJson(response, 404, { error: { code: 'UserError', message: 'Job j1 was not found' } });
    const error = await waitForJob(jobs(), 'j1', { schedule: quick }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(error).toMatchObject({ status: 404, serviceMessage: 'Job j1 was not found' });
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a wait that sleeps out a long Retry-After, promptly', async () => {
    handler = statuses(['Running'], { 'Retry-After': '30' });
    const controller = new AbortController();
    const started = Date.now();
    const waiting = waitForJob(jobs(), 'j1', { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });

  it('times out on the wall clock with the last status', async () => {
    handler = statuses(['Queued']);
    const result = await waitForJob(jobs(), 'j1', { schedule: quick, timeoutInMs: 150 });
    expect(result).toMatchObject({ status: 'Queued', timedOut: true });
    expect(result.elapsedInMs).toBeGreaterThanOrEqual(150);
    expect(result.polls).toBeGreaterThan(2);
  });
});
