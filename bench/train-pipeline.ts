// The train-pipeline bundle run as the runner runs it, against the emulator executing a 20-second
// command job. Three figures per run, medians over RUNS:
// - submission overhead: step process spawned → the job PUT arriving at the emulator;
// - completion-detection latency: the job turning terminal (run history's endTimeUtc) → the
//   step process exited;
// - ARM requests: those under /subscriptions/ up to the job PUT (lookups, code reuse check), then
//   per job-minute after it (polls, children, outputs) over the job's running time; data-plane
//   requests (run history, MLflow) per job-minute beside them. Azurite's blob reads are not counted.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DataPlaneClients,
  discoverWorkspaceServices,
  RunHistoryClient,
  resolveCloud,
} from '../packages/core/src/index';
import { oidcConnection } from '../test/support/connection';
import { combinedCaBundle, startEmulatorProcess } from '../test/support/emulator';
import { registerExampleEnvironment } from '../test/support/examples';
import { httpsRequest } from '../test/support/https';
import { runAction } from '../test/support/runner';

const RUNS = 3;
const JOB_SECONDS = 20;
const repo = path.resolve(import.meta.dirname, '..');

interface LoggedRequest {
  method: string;
  path: string;
  time: string;
}

const emulator = await startEmulatorProcess();
const project = mkdtempSync(path.join(os.tmpdir(), 'bench-train-'));
try {
  const info = emulator.info;
  const ca = readFileSync(info.caCertPath, 'utf8');
  const connection = oidcConnection(info);
  cpSync(path.join(repo, 'examples'), project, { recursive: true });
  const caBundle = path.join(project, '.ca-bundle.pem');
  writeFileSync(caBundle, combinedCaBundle(info.caCertPath));
  await registerExampleEnvironment(connection);
  writeFileSync(
    path.join(project, 'jobs/bench.yml'),
    [
      `command: python -c "import time; [print(i, flush=True) or time.sleep(1) for i in range(${JOB_SECONDS})]"`,
      'code: ../src',
      'environment: azureml:python-stdlib@latest',
      'compute: azureml:cpu-cluster',
      '',
    ].join('\n'),
  );
  const cloud = resolveCloud({
    cloud: 'Custom',
    armEndpoint: info.armEndpoint,
    authorityHost: info.authorityHost,
  });
  const dataPlane = new DataPlaneClients({
    credential: connection.resolved.credential,
    scope: cloud.armScope,
    caCertificates: ca,
  });
  const services = await discoverWorkspaceServices(connection.clients.rest, connection.workspace, {
    dataPlane,
  });
  const history = new RunHistoryClient(
    dataPlane.forUrl(services.historyEndpoint),
    services.historyEndpoint,
    connection.workspace,
  );

  const overheads: number[] = [];
  const detections: number[] = [];
  const setupRequests: number[] = [];
  const armPerMinute: number[] = [];
  const dataPlanePerMinute: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await httpsRequest(`${info.adminUrl}/requests`, { method: 'DELETE', ca });
    const spawnedAt = Date.now();
    const result = await runAction({
      actionDir: path.join(repo, 'actions/train-pipeline'),
      cwd: project,
      inputs: { ...info.inputs, job: 'jobs/bench.yml', name: `bench-${Date.now()}` },
      env: { NODE_EXTRA_CA_CERTS: caBundle },
      oidc: info.oidc,
      github: { runId: String(50_000 + run), repository: 'contoso/fraud-model' },
      post: false,
      timeoutMs: 120_000,
    });
    const exitedAt = Date.now();
    if (result.conclusion !== 'success') {
      throw new Error(`run ${run} ended ${result.conclusion}:\n${result.log.map((l) => l.text).join('\n')}`);
    }
    const name = result.outputs['job-name'] ?? '';
    const requests = (await httpsRequest(`${info.adminUrl}/requests`, { ca })).json.value as LoggedRequest[];
    const put = requests.find((r) => r.method === 'PUT' && r.path.endsWith(`/jobs/${name}`));
    const details = await history.details(name);
    if (!put || !details.endTimeUtc || !details.startTimeUtc)
      throw new Error(`run ${run}: no PUT or run times logged`);
    const jobMinutes = (Date.parse(details.endTimeUtc) - Date.parse(details.startTimeUtc)) / 60_000;
    const during = requests.filter((r) => Date.parse(r.time) >= spawnedAt && Date.parse(r.time) <= exitedAt);
    const putAt = Date.parse(put.time);
    const arm = during.filter((r) => r.path.startsWith('/subscriptions/'));
    const plane = during.filter((r) => /^\/(history|mlflow)\//.test(r.path));
    overheads.push(putAt - spawnedAt);
    detections.push(exitedAt - Date.parse(details.endTimeUtc));
    setupRequests.push(arm.filter((r) => Date.parse(r.time) <= putAt).length);
    armPerMinute.push(arm.filter((r) => Date.parse(r.time) > putAt).length / jobMinutes);
    dataPlanePerMinute.push(plane.length / jobMinutes);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  console.log(
    `train-pipeline: submission overhead ${median(overheads).toFixed(0)} ms (spawn → job PUT), ` +
      `completion detection ${median(detections).toFixed(0)} ms (job terminal → step exit), ` +
      `${median(setupRequests)} ARM requests to submit, then ${median(armPerMinute).toFixed(1)} ARM and ` +
      `${median(dataPlanePerMinute).toFixed(1)} data-plane requests per job-minute ` +
      `(median of ${RUNS} runs of a ${JOB_SECONDS}s command job)`,
  );
} finally {
  await emulator.stop();
  rmSync(project, { recursive: true, force: true });
}
