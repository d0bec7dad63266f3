import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, listAll } from './harness';

const computePath = (harness: Harness, name: string) => `${harness.workspacePath}/computes/${name}`;

const amlCompute = (maxNodeCount = 2) => ({
  location: 'eastus2',
  properties: {
    computeType: 'AmlCompute',
    description: 'training',
    properties: { vmSize: 'Standard_DS2_v2', scaleSettings: { minNodeCount: 0, maxNodeCount } },
  },
});

describe('seeded cpu-cluster', () => {
  it('is an AmlCompute of Standard_DS3_v2 with 0 to 4 nodes', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', computePath(harness, 'cpu-cluster'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: harness.computeId('cpu-cluster'),
      name: 'cpu-cluster',
      type: 'Microsoft.MachineLearningServices/workspaces/computes',
      properties: {
        computeType: 'AmlCompute',
        provisioningState: 'Succeeded',
        properties: { vmSize: 'Standard_DS3_v2', scaleSettings: { minNodeCount: 0, maxNodeCount: 4 } },
      },
    });
  });

  it('survives a second createArmRoutes over the same store without being reset', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', computePath(harness, 'cpu-cluster'), amlCompute(8));
    const { createArmRoutes } = await import('../../src/arm/index');
    createArmRoutes(harness.ctx);
    const response = await harness.invoke('GET', computePath(harness, 'cpu-cluster'));
    expect(response.body.properties.properties.scaleSettings.maxNodeCount).toBe(8);
  });
});

describe('compute create', () => {
  it('answers 201 with Azure-AsyncOperation whose operation reports Succeeded', async () => {
    const harness = createHarness();
    const response = await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute());
    expect(response.status).toBe(201);
    expect(response.body.properties.provisioningState).toBe('Creating');
    const operationUrl = response.headers['azure-asyncoperation'] as string;
    expect(operationUrl).toMatch(
      /^https:\/\/127\.0\.0\.1:8443\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/locations\/eastus2\/mfeOperationsStatus\/cc:[^?]+\?api-version=2022-10-01$/,
    );
    const operation = await harness.invoke('GET', operationUrl);
    expect(operation.status).toBe(200);
    expect(operation.body).toMatchObject({ status: 'Succeeded', percentComplete: 100 });
    expect(Object.keys(operation.body)).toEqual([
      'id',
      'name',
      'startTime',
      'endTime',
      'percentComplete',
      'status',
    ]);

    const get = await harness.invoke('GET', computePath(harness, 'GPU-cluster'));
    expect(get.body.name).toBe('gpu-cluster');
    expect(get.body.properties.provisioningState).toBe('Succeeded');
    expect(get.body.properties.description).toBe('training');
  });

  it('answers 200 when updating, keeping createdOn', async () => {
    const harness = createHarness();
    const created = await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute());
    harness.advance(60_000);
    const updated = await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute(6));
    expect(updated.status).toBe(200);
    expect(updated.body.properties.createdOn).toBe(created.body.properties.createdOn);
    expect(updated.body.properties.properties.scaleSettings.maxNodeCount).toBe(6);
  });

  it('refuses to change the compute type', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute());
    const response = await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), {
      properties: { computeType: 'ComputeInstance', properties: { vmSize: 'Standard_DS3_v2' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.target).toBe('properties.computeType');
  });

  it('creates a ComputeInstance', async () => {
    const harness = createHarness();
    const response = await harness.invoke('PUT', computePath(harness, 'ci-dev'), {
      properties: { computeType: 'ComputeInstance', properties: { vmSize: 'Standard_DS3_v2' } },
    });
    expect(response.status).toBe(201);
    const get = await harness.invoke('GET', computePath(harness, 'ci-dev'));
    expect(get.body.properties.properties).toMatchObject({ vmSize: 'Standard_DS3_v2', state: 'Running' });
  });

  it('ignores read-only compute properties echoed back by a client', async () => {
    const harness = createHarness();
    const seeded = await harness.invoke('GET', computePath(harness, 'cpu-cluster'));
    const response = await harness.invoke('PUT', computePath(harness, 'cpu-cluster'), {
      location: seeded.body.location,
      properties: seeded.body.properties,
    });
    expect(response.status).toBe(200);
  });
});

describe('compute list, get and delete', () => {
  it('lists computes with paging', async () => {
    const harness = createHarness({ arm: { pageSize: 1 } });
    await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute());
    const { items, pages } = await listAll(harness, `${harness.workspacePath}/computes`);
    expect(items.map((item) => item.name)).toEqual(['cpu-cluster', 'gpu-cluster']);
    expect(pages).toEqual([1, 1]);
  });

  it('answers 404 for an unknown compute', async () => {
    const harness = createHarness();
    const response = await harness.invoke('GET', computePath(harness, 'nope'));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ResourceNotFound');
  });

  it('deletes with 202 and a finished operation', async () => {
    const harness = createHarness();
    await harness.invoke('PUT', computePath(harness, 'gpu-cluster'), amlCompute());
    const response = await harness.invoke(
      'DELETE',
      `${computePath(harness, 'gpu-cluster')}?underlyingResourceAction=Delete`,
    );
    expect(response.status).toBe(202);
    const status = await harness.invoke('GET', response.headers['azure-asyncoperation'] as string);
    expect(status.body.status).toBe('Succeeded');
    expect((await harness.invoke('GET', response.headers.location as string)).status).toBe(200);
    expect((await harness.invoke('GET', computePath(harness, 'gpu-cluster'))).status).toBe(404);
    const again = await harness.invoke(
      'DELETE',
      `${computePath(harness, 'gpu-cluster')}?underlyingResourceAction=Delete`,
    );
    expect(again.status).toBe(204);
  });

  it.each([[''], ['?underlyingResourceAction=Remove']])(
    'requires underlyingResourceAction (%s)',
    async (query) => {
      const harness = createHarness();
      const response = await harness.invoke('DELETE', `${computePath(harness, 'cpu-cluster')}${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error.target).toBe('underlyingResourceAction');
    },
  );

  it('answers 404 for an operation id it never issued', async () => {
    const harness = createHarness();
    const response = await harness.invoke(
      'GET',
      `/subscriptions/${harness.ctx.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/eastus2/mfeOperationsStatus/cc:nope`,
    );
    expect(response.status).toBe(404);
  });
});
