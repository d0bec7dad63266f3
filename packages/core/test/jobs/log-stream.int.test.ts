// LogStreamer against a loopback server that plays both run history (details with SAS log URLs)
// and blob storage (Range reads), so the protocol details are exercised over real HTTPS.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureRequestError } from '../../src/errors';
import { type LogSource, LogStreamer, orderedLogFiles } from '../../src/jobs/log-stream';
import { RunHistoryClient } from '../../src/jobs/run-history';
import {
  type LocalHttpsServer,
  type RecordedRequest,
  sendJson,
  startLocalHttpsServer,
} from '../arm/support/local-https';
import { dataPlaneFor, pathOf } from './support/data-plane';

const workspace = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
const DETAILS =
  /^\/history\/v1\.0\/subscriptions\/sub\/resourceGroups\/rg\/providers\/Microsoft\.MachineLearningServices\/workspaces\/ws\/runs\/([^/]+)\/details$/;

interface Run {
  status: string;
  files: Record<string, Buffer>;
}

let server: LocalHttpsServer;
let runs: Map<string, Run>;
/** Blob paths whose reads fail with this status. */
let failing: Map<string, number>;
let ignoreRange: boolean;
let detailsFailures: number;

const blobPath = (runId: string, file: string) => `/azureml/ExperimentRun/dcid.${runId}/${file}`;

function serveBlob(request: RecordedRequest, response: ServerResponse): void {
  const path = decodeURIComponent(pathOf(request.url));
  const failure = failing.get(path);
  if (failure) {
    response.writeHead(failure, { 'x-ms-request-id': 'blob-req', 'Content-Type': 'application/xml' });
    response.end('<?xml version="1.0"?><Error><Code>ServerBusy</Code></Error>');
    return;
  }
  const match = /^\/azureml\/ExperimentRun\/dcid\.([^/]+)\/(.+)$/.exec(path);
  const data = match ? runs.get(match[1] as string)?.files[match[2] as string] : undefined;
  if (!data) {
    response.writeHead(404).end('BlobNotFound');
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(String(request.headers.range ?? ''));
  if (!range || ignoreRange) {
    response.writeHead(200, { 'Content-Length': data.length }).end(data);
    return;
  }
  const start = Number(range[1]);
  if (start >= data.length) {
    response.writeHead(416, { 'Content-Range': `bytes */${data.length}` }).end();
    return;
  }
  response
    .writeHead(206, { 'Content-Range': `bytes ${start}-${data.length - 1}/${data.length}` })
    .end(data.subarray(start));
}

beforeAll(async () => {
  server = await startLocalHttpsServer((request, response) => {
    const details = DETAILS.exec(pathOf(request.url));
    if (details) {
      const runId = decodeURIComponent(details[1] as string);
      const run = runs.get(runId);
      if (detailsFailures > 0) {
        detailsFailures -= 1;
        return sendJson(response, 500, { error: { code: 'InternalError', message: 'history down' } });
      }
      if (!run) return sendJson(response, 404, { error: { code: 'RunNotFound', message: 'no run' } });
      const logFiles = Object.fromEntries(
        Object.keys(run.files).map((file) => [
          file,
          `${server.origin}${blobPath(runId, file)}?sv=2021&sig=SECRET`,
        ]),
      );
      return sendJson(response, 200, { runId, status: run.status, parentRunId: null, logFiles });
    }
    serveBlob(request, response);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  runs = new Map();
  failing = new Map();
  ignoreRange = false;
  detailsFailures = 0;
});

interface Emitted {
  source: LogSource;
  file: string;
  lines: string[];
}

function streamer(options: { tailLines?: number } = {}) {
  const history = new RunHistoryClient(dataPlaneFor(server).forUrl(server.origin), server.origin, workspace);
  const emitted: Emitted[] = [];
  const errors: { error: unknown; runId: string; file: string | undefined }[] = [];
  const logs = new LogStreamer({
    history,
    caCertificates: server.ca,
    env: {},
    retryOptions: { maxRetries: 0 },
    onLines: (source, file, lines) => emitted.push({ source, file, lines }),
    onError: (error, source, file) => errors.push({ error, runId: source.runId, file }),
    ...options,
  });
  return { logs, emitted, errors, lines: () => emitted.flatMap((entry) => entry.lines) };
}

function addRun(runId: string, status: string, files: Record<string, string>): Run {
  const run: Run = {
    status,
    files: Object.fromEntries(Object.entries(files).map(([f, t]) => [f, Buffer.from(t)])),
  };
  runs.set(runId, run);
  return run;
}

function append(run: Run, file: string, text: string | Buffer): void {
  run.files[file] = Buffer.concat([run.files[file] ?? Buffer.alloc(0), Buffer.from(text)]);
}

const blobRequests = () => server.requests.filter((request) => request.url.startsWith('/azureml/'));

describe('LogStreamer', () => {
  it('reads each file from its offset with Range and emits complete lines only', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'epoch 1\nepoch 2\npartial' });
    const { logs, emitted, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect(emitted).toEqual([
      { source: { runId: 'j1' }, file: 'user_logs/std_log.txt', lines: ['epoch 1', 'epoch 2'] },
    ]);

    append(run, 'user_logs/std_log.txt', ' line\r\nepoch 3\n');
    await logs.poll();
    expect(lines()).toEqual(['epoch 1', 'epoch 2', 'partial line', 'epoch 3']);
    expect(blobRequests().map((request) => request.headers.range)).toEqual(['bytes=0-', 'bytes=23-']);
  });

  it('never sends the ARM token to storage, but does to run history', async () => {
    addRun('j1', 'Running', { 'user_logs/std_log.txt': 'x\n' });
    const { logs } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    const [details, ...blobs] = server.requests;
    expect(details?.headers.authorization).toBe('Bearer arm-token-for-tests');
    expect(blobs).toHaveLength(1);
    for (const request of blobs) expect(request.headers.authorization).toBeUndefined();
  });

  it('takes a 416 as nothing new and keeps the offset', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\n' });
    const { logs, lines, errors } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    await logs.poll();
    expect(blobRequests().map((request) => request.headers.range)).toEqual(['bytes=0-', 'bytes=2-']);
    append(run, 'user_logs/std_log.txt', 'b\n');
    await logs.poll();
    expect(lines()).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
  });

  it('takes a 404 as a log not uploaded yet', async () => {
    const { logs, lines, errors } = streamer();
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'hello\n' });
    failing.set(blobPath('j1', 'user_logs/std_log.txt'), 404);
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect(lines()).toEqual([]);
    expect(errors).toEqual([]);
    failing.clear();
    append(run, 'user_logs/std_log.txt', 'world\n');
    await logs.poll();
    expect(lines()).toEqual(['hello', 'world']);
  });

  it('cuts a 200 (Range ignored) at the offset', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'one\ntw' });
    ignoreRange = true;
    const { logs, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    append(run, 'user_logs/std_log.txt', 'o\nthree\n');
    await logs.poll();
    expect(lines()).toEqual(['one', 'two', 'three']);
  });

  it('reads a blob that was replaced by a shorter one afresh', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'first version, long\n' });
    const { logs, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    run.files['user_logs/std_log.txt'] = Buffer.from('new\n');
    await logs.poll(); // 416 with a smaller size: restart
    await logs.poll();
    expect(lines()).toEqual(['first version, long', 'new']);
  });

  it('keeps a multi-byte character split between reads intact', async () => {
    const text = Buffer.from('température 20 °C\n');
    const cut = text.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
    const run: Run = { status: 'Running', files: { 'user_logs/std_log.txt': text.subarray(0, cut) } };
    runs.set('j1', run);
    const { logs, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    run.files['user_logs/std_log.txt'] = text;
    await logs.poll();
    expect(lines()).toEqual(['température 20 °C']);
  });

  it('streams std_log.txt first, only user_logs, per source with its step', async () => {
    addRun('p1_train', 'Running', {
      'user_logs/z_extra.txt': 'extra\n',
      'system_logs/lifecycler.log': 'system\n',
      'user_logs/std_log.txt': 'std\n',
    });
    addRun('p1_prep', 'Running', { 'user_logs/std_log.txt': 'prep\n' });
    const { logs, emitted } = streamer();
    expect(logs.addSource({ runId: 'p1_prep', step: 'prep' })).toBe(true);
    expect(logs.addSource({ runId: 'p1_train', step: 'train' })).toBe(true);
    expect(logs.addSource({ runId: 'p1_train', step: 'again' })).toBe(false);
    await logs.poll();
    expect(emitted.map(({ source, file, lines }) => [source.step, file, lines])).toEqual([
      ['prep', 'user_logs/std_log.txt', ['prep']],
      ['train', 'user_logs/std_log.txt', ['std']],
      ['train', 'user_logs/z_extra.txt', ['extra']],
    ]);
    expect(logs.listSources()).toEqual([
      { runId: 'p1_prep', step: 'prep' },
      { runId: 'p1_train', step: 'train' },
    ]);
  });

  it('flush() emits the partial last line once', async () => {
    addRun('j1', 'Completed', { 'user_logs/std_log.txt': 'done\nTraceback (no newline)' });
    const { logs, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect(lines()).toEqual(['done']);
    logs.flush();
    logs.flush();
    expect(lines()).toEqual(['done', 'Traceback (no newline)']);
  });

  it('tail() gives the last n lines of a run, its partial line included', async () => {
    addRun('j1', 'Failed', { 'user_logs/std_log.txt': 'l1\nl2\nl3\nl4\nValueError: bad' });
    addRun('j2', 'Running', { 'user_logs/std_log.txt': 'other\n' });
    const { logs } = streamer({ tailLines: 3 });
    logs.addSource({ runId: 'j1' });
    logs.addSource({ runId: 'j2' });
    await logs.poll();
    expect(logs.tail('j1', 2)).toEqual(['l4', 'ValueError: bad']);
    // Only tailLines complete lines are kept.
    expect(logs.tail('j1', 10)).toEqual(['l2', 'l3', 'l4', 'ValueError: bad']);
    expect(logs.tail('j2', 5)).toEqual(['other']);
    expect(logs.tail('j1', 0)).toEqual([]);
    expect(logs.tail('unknown', 5)).toEqual([]);
  });

  it('stops reading a terminal run once a pass finds nothing new', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\n' });
    const { logs } = streamer();
    logs.addSource({ runId: 'j1' });
    expect(logs.statusOf('j1')).toBeUndefined();
    await logs.poll();
    expect(logs.statusOf('j1')).toBe('Running');
    run.status = 'Completed';
    append(run, 'user_logs/std_log.txt', 'b\n');
    await logs.poll(); // terminal, but new bytes: read again next pass
    expect(logs.statusOf('j1')).toBe('Completed');
    expect(logs.isFinished('j1')).toBe(false);
    await logs.poll();
    expect(logs.isFinished('j1')).toBe(true);
    const before = server.requests.length;
    await logs.poll();
    expect(server.requests.length).toBe(before);
  });

  it('reports a failing read with a redacted URL and carries on', async () => {
    addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\n', 'user_logs/other.txt': 'b\n' });
    failing.set(blobPath('j1', 'user_logs/std_log.txt'), 503);
    const { logs, lines, errors } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect(lines()).toEqual(['b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe('user_logs/std_log.txt');
    expect(errors[0]?.error).toBeInstanceOf(AzureRequestError);
    const error = errors[0]?.error as AzureRequestError;
    expect(error.status).toBe(503);
    expect(error.message).not.toContain('SECRET');
    failing.clear();
    await logs.poll();
    expect(lines()).toEqual(['b', 'a']);
  });

  it('hides the SAS in a network failure and reads plain-http storage on loopback', async () => {
    // An http blob server on loopback, as Azurite serves the emulator's blobs.
    const plain = createServer((_request, response) => {
      response.writeHead(206, { 'Content-Range': 'bytes 0-5/6' }).end('plain\n');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    const secret = 'c2VjcmV0LXNpZ25hdHVyZQ==';
    const history = {
      details: async () => ({
        runId: 'j1',
        status: 'Running',
        logFiles: {
          'user_logs/std_log.txt': `http://127.0.0.1:${port}/azureml/log?sv=2021-08-06&sig=${encodeURIComponent(secret)}`,
          // Nothing listens on port 9 (discard): the connection is refused.
          'user_logs/z.txt': `https://127.0.0.1:9/azureml/log?sv=2021-08-06&sig=${encodeURIComponent(secret)}`,
        },
      }),
    };
    const errors: unknown[] = [];
    const read: string[] = [];
    const logs = new LogStreamer({
      history,
      retryOptions: { maxRetries: 0 },
      onLines: (_source, _file, lines) => read.push(...lines),
      onError: (error) => errors.push(error),
    });
    logs.addSource({ runId: 'j1' });
    try {
      await logs.poll();
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
    expect(read).toEqual(['plain']);
    expect(errors).toHaveLength(1);
    const message = (errors[0] as Error).message;
    expect(message).toContain('127.0.0.1:9');
    expect(message).not.toContain(secret);
    expect(message).not.toContain(encodeURIComponent(secret));
    expect((errors[0] as Error).cause).toBeUndefined();
  });

  it('refuses plain http to storage that is not on loopback', async () => {
    const history = {
      details: async () => ({
        runId: 'j1',
        status: 'Running',
        logFiles: { 'user_logs/std_log.txt': 'http://storage.example/azureml/log?sig=abcdefghijkl' },
      }),
    };
    const errors: unknown[] = [];
    const logs = new LogStreamer({
      history,
      onLines: () => undefined,
      onError: (error) => errors.push(error),
    });
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect((errors[0] as Error).message).toMatch(/allowInsecureConnection/);
    expect((errors[0] as Error).message).not.toContain('abcdefghijkl');
  });

  it('reports a failing details call and keeps the run', async () => {
    addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\n' });
    detailsFailures = 2; // more than the pipeline's retries (none here)
    const { logs, lines, errors } = streamer();
    logs.addSource({ runId: 'j1' });
    await logs.poll();
    expect(
      errors.map((entry) => [entry.runId, entry.file, (entry.error as AzureRequestError).status]),
    ).toEqual([['j1', undefined, 500]]);
    await logs.poll(); // second failure
    await logs.poll();
    expect(lines()).toEqual(['a']);
  });

  it('rejects a pass when aborted', async () => {
    addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\n' });
    const { logs, errors } = streamer();
    logs.addSource({ runId: 'j1' });
    await expect(logs.poll({ abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(errors).toEqual([]);
    // The streamer still works after an aborted pass.
    await logs.poll();
    expect(logs.tail('j1', 1)).toEqual(['a']);
  });

  it('runs overlapping passes one after the other', async () => {
    const run = addRun('j1', 'Running', { 'user_logs/std_log.txt': 'a\nb\n' });
    const { logs, lines } = streamer();
    logs.addSource({ runId: 'j1' });
    await Promise.all([logs.poll(), logs.poll()]);
    append(run, 'user_logs/std_log.txt', 'c\n');
    await logs.poll();
    expect(lines()).toEqual(['a', 'b', 'c']);
  });
});

describe('orderedLogFiles', () => {
  it.each<{ files: Record<string, string>; order: string[] }>([
    {
      files: { 'user_logs/b.txt': 'u', 'user_logs/std_log.txt': 'u', 'user_logs/a.txt': 'u' },
      order: ['user_logs/std_log.txt', 'user_logs/a.txt', 'user_logs/b.txt'],
    },
    {
      files: { 'logs/x': 'u', 'user_logs/std_log_process_1.txt': 'u' },
      order: ['user_logs/std_log_process_1.txt'],
    },
    { files: {}, order: [] },
  ])('orders $files', ({ files, order }) => {
    const include = (file: string) => file.startsWith('user_logs/');
    expect(orderedLogFiles(files, include).map(([file]) => file)).toEqual(order);
  });
});
