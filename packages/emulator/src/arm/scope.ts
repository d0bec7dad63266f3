// The checks ARM makes before a request reaches the resource provider: a supported api-version,
// then a known subscription, resource group and (for nested resources) parent workspace.
import type { ArmContext } from '../arm-context';
import { armError } from '../http/arm-errors';
import type { EmulatorRequest, EmulatorResponse, Handler, RouteParams } from '../http/types';
import { type ApiVersion, type ApiVersionCheck, checkApiVersion } from './api-version';
import { PROVIDER } from './workspace-identity';

export interface ArmCall {
  request: EmulatorRequest;
  params: RouteParams;
  apiVersion: ApiVersion;
}

export type ArmHandler = (call: ArmCall) => EmulatorResponse | Promise<EmulatorResponse>;

/** Path prefix of every workspace route, as in the operation catalog. */
export const WORKSPACE_PATH =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}';

export const sameName = (a: string | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();

function subscriptionNotFound(subscriptionId: string | undefined): EmulatorResponse {
  return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
}

/** How a route reads its api-version: checkApiVersion, or a stricter check for newer resource types. */
export type ApiVersionReader = (request: EmulatorRequest) => ApiVersionCheck;

/** Routes under /subscriptions/{subscriptionId}: api-version and subscription. */
export function subscriptionScoped(
  ctx: ArmContext,
  handler: ArmHandler,
  readApiVersion: ApiVersionReader = checkApiVersion,
): Handler {
  return (request, params) => {
    const version = readApiVersion(request);
    if (!version.ok) return version.response;
    if (!sameName(params.subscriptionId, ctx.subscriptionId))
      return subscriptionNotFound(params.subscriptionId);
    return handler({ request, params, apiVersion: version.version });
  };
}

/** Routes under /resourceGroups/{resourceGroupName}: api-version, subscription, resource group. */
export function resourceGroupScoped(
  ctx: ArmContext,
  handler: ArmHandler,
  readApiVersion: ApiVersionReader = checkApiVersion,
): Handler {
  return subscriptionScoped(
    ctx,
    (call) => {
      const group = call.params.resourceGroupName;
      if (!sameName(group, ctx.resourceGroup)) {
        return armError(404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);
      }
      return handler(call);
    },
    readApiVersion,
  );
}

/**
 * Routes of the workspace (nested: false) or of a resource inside it (nested: true). ARM answers
 * ResourceNotFound for the workspace itself and ParentResourceNotFound for its children.
 */
export function workspaceScoped(ctx: ArmContext, handler: ArmHandler, { nested = true } = {}): Handler {
  return resourceGroupScoped(ctx, (call) => {
    const name = call.params.workspaceName;
    if (!sameName(name, ctx.workspace)) return parentMissing('workspaces', name, call, nested);
    return handler(call);
  });
}

/** ARM's 404s for a missing parent: ResourceNotFound for itself, ParentResourceNotFound for children. */
export function parentMissing(
  type: 'workspaces' | 'registries',
  name: string | undefined,
  call: ArmCall,
  nested: boolean,
): EmulatorResponse {
  if (nested) {
    return armError(
      404,
      'ParentResourceNotFound',
      `Can not perform requested operation on nested resource. Parent resource '${name}' not found.`,
    );
  }
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${PROVIDER}/${type}/${name}' under resource group '${call.params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
