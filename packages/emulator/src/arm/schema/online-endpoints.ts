// Request schemas of workspaces/onlineEndpoints and their deployments (ManagedOnlineDeployment and
// KubernetesOnlineDeployment), from reference/specs/arm-deployment-schemas and bicep-types-az:
// `mirrorTraffic`, `dataCollector` and `startupProbe` exist from 2025-12-01 on.
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  any,
  bool,
  enumOf,
  int,
  mapOf,
  object,
  optional,
  type Property,
  required,
  resourceBody,
  str,
  stringMap,
  variant,
  word,
} from './dsl';

// principalId/tenantId are read-only: ARM ignores them in a PUT body (a GET-modify-PUT sends them).
const identity = object(
  'ManagedServiceIdentity',
  {
    type: required(enumOf('None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned,UserAssigned')),
    userAssignedIdentities: optional(mapOf(any({ object: true }))),
  },
  { readOnly: ['principalId', 'tenantId'] },
);

const sku = object('Sku', {
  capacity: optional(int()),
  family: optional(str()),
  name: required(str()),
  size: optional(str()),
  tier: optional(enumOf('Free', 'Basic', 'Standard', 'Premium')),
});

/** The tracked-resource envelope both resources share. */
const trackedResource = (): Record<string, Property> => ({
  identity: optional(identity),
  kind: optional(str()),
  location: required(str()),
  sku: optional(sku),
  tags: optional(stringMap()),
});

export const AUTH_MODES = ['AMLToken', 'Key', 'AADToken'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const endpointAuthKeys = object('EndpointAuthKeys', {
  primaryKey: optional(str()),
  secondaryKey: optional(str()),
});

export const endpointProperties = object(
  'OnlineEndpointProperties',
  {
    authMode: required(enumOf(...AUTH_MODES)),
    compute: optional(str()),
    description: optional(str()),
    keys: optional(endpointAuthKeys),
    mirrorTraffic: optional(mapOf(int()), NEWER),
    properties: optional(stringMap()),
    publicNetworkAccess: optional(enumOf('Enabled', 'Disabled')),
    traffic: optional(mapOf(int())),
  },
  { readOnly: ['provisioningState', 'scoringUri', 'swaggerUri'] },
);

export const endpointBody = resourceBody('OnlineEndpoint', endpointProperties, trackedResource());

/** PATCH body of an endpoint (PartialMinimalTrackedResourceWithIdentity). */
export const endpointPatchBody = object('PartialMinimalTrackedResourceWithIdentity', {
  identity: optional(
    object('PartialManagedServiceIdentity', {
      type: optional(enumOf('None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned,UserAssigned')),
      userAssignedIdentities: optional(mapOf(any())),
    }),
  ),
  tags: optional(stringMap()),
});

const probe = object('ProbeSettings', {
  failureThreshold: optional(int()),
  initialDelay: optional(str()),
  period: optional(str()),
  successThreshold: optional(int()),
  timeout: optional(str()),
});

const containerResourceSettings = object('ContainerResourceSettings', {
  cpu: optional(str()),
  gpu: optional(str()),
  memory: optional(str()),
});

const dataCollector = object('DataCollector', {
  collections: required(
    mapOf(
      object('Collection', {
        clientId: optional(str()),
        dataCollectionMode: optional(enumOf('Enabled', 'Disabled')),
        dataId: optional(str()),
        samplingRate: optional(any()),
      }),
    ),
  ),
  requestLogging: optional(object('RequestLogging', { captureHeaders: optional(any()) })),
  rollingRate: optional(enumOf('Year', 'Month', 'Day', 'Hour', 'Minute')),
});

export const deploymentProperties = object(
  'OnlineDeploymentProperties',
  {
    appInsightsEnabled: optional(bool()),
    codeConfiguration: optional(
      object('CodeConfiguration', { codeId: optional(str()), scoringScript: required(word()) }),
    ),
    dataCollector: optional(dataCollector, NEWER),
    description: optional(str()),
    egressPublicNetworkAccess: optional(enumOf('Enabled', 'Disabled')),
    environmentId: optional(str()),
    environmentVariables: optional(stringMap()),
    instanceType: optional(str()),
    livenessProbe: optional(probe),
    model: optional(str()),
    modelMountPath: optional(str()),
    properties: optional(stringMap()),
    readinessProbe: optional(probe),
    requestSettings: optional(
      object('OnlineRequestSettings', {
        maxConcurrentRequestsPerInstance: optional(int()),
        maxQueueWait: optional(str()),
        requestTimeout: optional(str()),
      }),
    ),
    scaleSettings: optional(
      object(
        'OnlineScaleSettings',
        {},
        {
          discriminator: {
            property: 'scaleType',
            variants: {
              Default: variant('DefaultScaleSettings', {}),
              TargetUtilization: variant('TargetUtilizationScaleSettings', {
                maxInstances: optional(int()),
                minInstances: optional(int()),
                pollingInterval: optional(str()),
                targetUtilizationPercentage: optional(int()),
              }),
            },
          },
        },
      ),
    ),
    startupProbe: optional(probe, NEWER),
  },
  {
    readOnly: ['provisioningState'],
    discriminator: {
      property: 'endpointComputeType',
      variants: {
        Managed: variant('ManagedOnlineDeployment', {}),
        Kubernetes: variant('KubernetesOnlineDeployment', {
          containerResourceRequirements: optional(
            object('ContainerResourceRequirements', {
              containerResourceLimits: optional(containerResourceSettings),
              containerResourceRequests: optional(containerResourceSettings),
            }),
          ),
        }),
      },
    },
  },
);

export const deploymentBody = resourceBody('OnlineDeployment', deploymentProperties, trackedResource());

/** PATCH body of a deployment (PartialMinimalTrackedResourceWithSku). */
export const deploymentPatchBody = object('PartialMinimalTrackedResourceWithSku', {
  sku: optional(
    object('PartialSku', {
      capacity: optional(int()),
      family: optional(str()),
      name: optional(str()),
      size: optional(str()),
      tier: optional(enumOf('Free', 'Basic', 'Standard', 'Premium')),
    }),
  ),
  tags: optional(stringMap()),
});

export const regenerateKeysBody = object('RegenerateEndpointKeysRequest', {
  keyType: required(enumOf('Primary', 'Secondary')),
  keyValue: optional(str()),
});

export const deploymentLogsBody = object('DeploymentLogsRequest', {
  containerType: optional(enumOf('InferenceServer', 'StorageInitializer')),
  tail: optional(int()),
});
