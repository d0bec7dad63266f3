// What a workspace needs before the example jobs run: `az ml environment create -f
// examples/environments/python-stdlib.yml`, done through the core REST client.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_VERSIONS, assetArmId } from '../../packages/core/src/index';
import type { EmulatorConnection } from './connection';

const CONDA_FILE = fileURLToPath(new URL('../../examples/environments/conda.yml', import.meta.url));

export async function registerExampleEnvironment(
  target: Pick<EmulatorConnection, 'clients' | 'workspace'>,
): Promise<void> {
  await target.clients.rest.request({
    method: 'PUT',
    path: assetArmId(target.workspace, 'environments', 'python-stdlib', '1'),
    apiVersion: API_VERSIONS.sdk,
    body: {
      properties: {
        image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest',
        condaFile: readFileSync(CONDA_FILE, 'utf8'),
      },
    },
  });
}
