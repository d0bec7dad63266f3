// `npm start`: the foundation flow on the local emulator, as an action would run it: sign in with
// GitHub OIDC, read the workspace and its default datastore, submit a command job, cancel it.
// It grows into the full example workflow (train → gate → register → deploy → smoke) with the actions.
import path from 'node:path';
import { computeArmId, isTerminalJobStatus } from '../packages/core/src/index';
import { oidcConnection } from '../test/support/connection';
import { startEmulatorProcess } from '../test/support/emulator';

const keep = process.argv.includes('--keep');
const emulator = await startEmulatorProcess({ stateDir: path.resolve('.emulator') });
const step = (text: string) => console.log(`\n▶ ${text}`);
try {
  const { info } = emulator;
  const connection = oidcConnection(info);
  step(`Signed in as ${connection.resolved.description}`);

  const ws = await connection.clients.sdk.workspaces.get(info.resourceGroup, info.workspace);
  step(`Workspace ${ws.name} (${ws.location}) at ${info.armEndpoint}`);

  const store = await connection.datastores.get('workspaceblobstore');
  const secrets = await connection.datastores.listSecrets(store.name);
  step(
    `Default datastore ${store.name}: ${store.blobServiceUrl}/${store.containerName} (${secrets.kind}, masked)`,
  );

  const name = `demo-${Date.now()}`;
  const { job } = await connection.jobs.create(name, {
    jobType: 'Command',
    command: 'python train.py',
    environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
    computeId: computeArmId(connection.workspace, 'cpu-cluster'),
    experimentName: 'demo',
  });
  step(`Submitted job ${job.name}: ${job.properties.status}`);
  await connection.jobs.cancel(name);
  let status = job.properties.status;
  for (let i = 0; i < 40 && !isTerminalJobStatus(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await connection.jobs.get(name)).properties.status;
  }
  step(`Cancelled job ${name}: ${status}`);
  console.log(`\nEmulator state: ${emulator.stateDir}`);
  if (keep) {
    console.log('\nThe emulator keeps running (Ctrl-C stops it). Point an action at it with:');
    console.log(JSON.stringify(info.inputs, null, 2));
    console.log(`env: NODE_EXTRA_CA_CERTS=${emulator.childEnv().NODE_EXTRA_CA_CERTS}`);
    console.log(`env: ACTIONS_ID_TOKEN_REQUEST_URL=${info.oidc.requestUrl}`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
} finally {
  await emulator.stop();
}
