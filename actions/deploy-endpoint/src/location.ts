// The workspace's region: where a new endpoint and its deployments are created.
import { API_VERSIONS, type ArmRestClient, type WorkspaceRef, workspaceArmId } from '@aml-actions/core';

export async function workspaceLocation(
  rest: ArmRestClient,
  workspace: WorkspaceRef,
  abortSignal?: AbortSignal,
): Promise<string> {
  const response = await rest.request<{ location?: string }>({
    method: 'GET',
    path: workspaceArmId(workspace),
    apiVersion: API_VERSIONS.sdk,
    abortSignal,
  });
  return response.body?.location ?? 'eastus';
}
