// Batch endpoints: create or update the endpoint and a model batch deployment (mini batch size,
// retries, error threshold, output action, …) from a batchDeployment YAML and/or inputs, then make
// it the endpoint's default deployment. Idempotent: an unchanged re-run writes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  API_VERSIONS,
  BatchEndpoints,
  type BatchResource,
  ConfigurationError,
  computeArmId,
  readBatchDeploymentYaml,
} from '@aml-actions/core';
import { type Logger, SummaryBuilder } from '@aml-actions/core/github';
import type { DeployInputs } from './inputs';
import { workspaceLocation } from './location';
import { checkDeployment, materializeDeployment, type ResolveDeps } from './resolve';

export interface BatchDeps extends ResolveDeps {
  logger: Logger;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  cwd: string;
}

export async function deployBatch(inputs: DeployInputs, deps: BatchDeps): Promise<void> {
  const file = inputs.deploymentFile;
  const spec = file
    ? readBatchDeploymentYaml(file, readFileSync(path.resolve(deps.cwd, file), 'utf8'), deps.cwd)
    : ({ properties: {} as Record<string, unknown> } as ReturnType<typeof readBatchDeploymentYaml>);
  if (spec.endpointName && spec.endpointName !== inputs.endpointName) {
    throw new ConfigurationError(
      `the batch deployment file's endpoint_name is '${spec.endpointName}', but the endpoint is '${inputs.endpointName}'`,
      {
        input: 'deployment-file',
        ...(spec.endpointNameAt
          ? {
              file: spec.endpointNameAt.file,
              line: spec.endpointNameAt.line,
              column: spec.endpointNameAt.column,
            }
          : {}),
        fix: `Set endpoint_name: ${inputs.endpointName}, or remove it.`,
      },
    );
  }
  const name = inputs.deploymentName ?? spec.name ?? 'default';
  const model = inputs.deployment.model ?? spec.model;
  const computeName = (inputs.compute ?? spec.compute)?.replace(/^azureml:/, '');
  if (!computeName) {
    throw new ConfigurationError('a batch deployment needs a compute cluster', {
      input: 'compute',
      fix: 'Set compute: <cluster name> (e.g. cpu-cluster), or compute: in the deployment file.',
    });
  }
  await checkCompute(computeName, deps);
  const checked = await checkDeployment(
    {
      kind: 'Managed',
      model,
      codePath: inputs.deployment.codePath ?? spec.codePath,
      scoringScript: inputs.deployment.scoringScript ?? spec.scoringScript,
      environment: inputs.deployment.environment ?? spec.environment,
      properties: {},
    },
    deps,
  );
  const placed = await materializeDeployment(checked, deps);
  const batch = new BatchEndpoints(deps.rest, deps.workspace);
  const write = {
    abortSignal: deps.abortSignal,
    pollIntervalInMs: 2_000,
    onPoll: (status: string) => deps.logger.info(`  ${status}…`),
  };
  const changes: string[] = [];

  let endpoint = await batch.get(inputs.endpointName, { abortSignal: deps.abortSignal });
  const location =
    endpoint?.location ?? (await workspaceLocation(deps.rest, deps.workspace, deps.abortSignal));
  if (!endpoint) {
    deps.logger.info(`Creating batch endpoint ${inputs.endpointName}.`);
    endpoint = await batch.put(
      inputs.endpointName,
      {
        location,
        properties: {
          authMode: 'AADToken',
          ...(inputs.endpoint.description ? { description: inputs.endpoint.description } : {}),
        },
      },
      write,
    );
    changes.push('endpoint created');
  }
  const instanceCount = inputs.deployment.instanceCount;
  const properties: Record<string, unknown> = {
    model: { referenceType: 'Id', assetId: checked.model.id },
    compute: computeArmId(deps.workspace, computeName),
    ...(placed.environmentId ? { environmentId: placed.environmentId } : {}),
    ...(placed.codeId
      ? { codeConfiguration: { codeId: placed.codeId, scoringScript: placed.scoringScript } }
      : {}),
    ...spec.properties,
    ...(instanceCount ? { resources: { instanceCount } } : {}),
  };
  const existing = await batch.getDeployment(inputs.endpointName, name, { abortSignal: deps.abortSignal });
  if (!existing || !sameBatchDeployment(existing, properties)) {
    deps.logger.info(
      `${existing ? 'Updating' : 'Creating'} batch deployment ${name} (${checked.model.name}:${checked.model.version} on ${computeName}).`,
    );
    await batch.putDeployment(
      inputs.endpointName,
      name,
      { location, ...(spec.tags ? { tags: spec.tags } : {}), properties },
      write,
    );
    changes.push(existing ? 'deployment updated' : 'deployment created');
  }
  if (endpoint.properties.defaults?.deploymentName !== name) {
    deps.logger.info(`Making ${name} the default deployment of ${inputs.endpointName}.`);
    const { id: _id, name: _name, type: _type, systemData: _sd, ...rest } = endpoint;
    const { provisioningState: _state, scoringUri: _uri, ...endpointProperties } = endpoint.properties;
    endpoint = await batch.put(
      inputs.endpointName,
      { ...rest, properties: { ...endpointProperties, defaults: { deploymentName: name } } },
      write,
    );
    changes.push('default deployment set');
  }
  deps.setOutput('endpoint-name', inputs.endpointName);
  deps.setOutput('deployment-name', name);
  deps.setOutput('scoring-uri', String(endpoint.properties.scoringUri ?? ''));
  deps.setOutput('rolled-back', 'false');
  const summary = new SummaryBuilder()
    .heading(
      `Batch endpoint ${inputs.endpointName} / ${name}: ${changes.length > 0 ? changes.join(', ') : 'already as asked, nothing changed'}`,
      3,
    )
    .table(
      ['', ''],
      [
        ['Model', `${checked.model.name}:${checked.model.version}`],
        ['Compute', computeName],
        ['Default deployment', name],
        ['Scoring URI', String(endpoint.properties.scoringUri ?? '–')],
        ...Object.entries(spec.properties)
          .filter(([key]) => key !== 'description')
          .map(
            ([key, value]) =>
              [key, typeof value === 'object' ? JSON.stringify(value) : String(value)] as [string, string],
          ),
      ],
    );
  await deps.writeSummary(summary.toMarkdown());
}

function sameBatchDeployment(existing: BatchResource, wanted: Record<string, unknown>): boolean {
  return covers(existing.properties, wanted);
}

/**
 * Whether `actual` holds every value of `wanted`, objects compared field by field (the service
 * fills in defaults such as resources.properties), ids and names case-insensitively.
 */
function covers(actual: unknown, wanted: unknown): boolean {
  if (typeof wanted === 'string')
    return typeof actual === 'string' && actual.toLowerCase() === wanted.toLowerCase();
  if (Array.isArray(wanted))
    return (
      Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => covers(actual[i], w))
    );
  if (typeof wanted !== 'object' || wanted === null) return actual === wanted;
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(wanted).every(([key, value]) =>
    covers((actual as Record<string, unknown>)[key], value),
  );
}

async function checkCompute(name: string, deps: BatchDeps): Promise<void> {
  try {
    await deps.rest.request({
      method: 'GET',
      path: computeArmId(deps.workspace, name),
      apiVersion: API_VERSIONS.sdk,
      abortSignal: deps.abortSignal,
    });
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      throw new ConfigurationError(`compute '${name}' does not exist in the workspace`, {
        input: 'compute',
        fix: 'Give the name of a compute cluster of the workspace (e.g. cpu-cluster).',
      });
    }
    throw error;
  }
}
