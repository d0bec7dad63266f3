// Request schemas of workspaces/batchEndpoints and their deployments (BatchEndpoint,
// BatchDeployment and the PATCH bodies), from the deployment schemas of 2022-10-01 and 2025-12-01
// (`deploymentConfiguration` is newer) and the type model's read-only properties.
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  any,
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

export const IDENTITY_TYPES = ['None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned,UserAssigned'];

/** ISO 8601 durations such as PT30S or P1DT2H (BatchRetrySettings.timeout). */
export const ISO_DURATION_PATTERN =
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

const userAssignedIdentities = () => mapOf(any({ object: true }));

const trackedResource = (): Record<string, Property> => ({
  identity: optional(
    object(
      'ManagedServiceIdentity',
      {
        type: required(enumOf(...IDENTITY_TYPES)),
        userAssignedIdentities: optional(userAssignedIdentities()),
      },
      { readOnly: ['principalId', 'tenantId'] },
    ),
  ),
  kind: optional(str()),
  location: required(str()),
  sku: optional(
    object('Sku', {
      capacity: optional(int()),
      family: optional(str()),
      name: required(str()),
      size: optional(str()),
      tier: optional(enumOf('Free', 'Basic', 'Standard', 'Premium')),
    }),
  ),
  tags: optional(stringMap()),
});

const batchEndpointProperties = object(
  'BatchEndpointProperties',
  {
    authMode: required(enumOf('AMLToken', 'Key', 'AADToken')),
    defaults: optional(object('BatchEndpointDefaults', { deploymentName: optional(str()) })),
    description: optional(str()),
    keys: optional(
      object('EndpointAuthKeys', { primaryKey: optional(str()), secondaryKey: optional(str()) }),
    ),
    properties: optional(stringMap()),
  },
  { readOnly: ['provisioningState', 'scoringUri', 'swaggerUri'] },
);

const idAssetReference = () =>
  object('IdAssetReference', { assetId: required(word()), referenceType: required(enumOf('Id')) });

const assetReference = object(
  'AssetReferenceBase',
  {},
  {
    discriminator: {
      property: 'referenceType',
      variants: {
        DataPath: variant('DataPathAssetReference', { datastoreId: optional(str()), path: optional(str()) }),
        Id: variant('IdAssetReference', { assetId: required(word()) }),
        OutputPath: variant('OutputPathAssetReference', { jobId: optional(str()), path: optional(str()) }),
      },
    },
  },
);

const deploymentConfiguration = object(
  'BatchDeploymentConfiguration',
  {},
  {
    discriminator: {
      property: 'deploymentConfigurationType',
      variants: {
        PipelineComponent: variant('BatchPipelineComponentDeploymentConfiguration', {
          componentId: optional(idAssetReference()),
          description: optional(str()),
          settings: optional(stringMap()),
          tags: optional(stringMap()),
        }),
      },
    },
  },
);

const batchDeploymentProperties = object(
  'BatchDeploymentProperties',
  {
    codeConfiguration: optional(
      object('CodeConfiguration', { codeId: optional(str()), scoringScript: required(word()) }),
    ),
    compute: optional(str()),
    deploymentConfiguration: optional(deploymentConfiguration, NEWER),
    description: optional(str()),
    environmentId: optional(str()),
    environmentVariables: optional(stringMap()),
    // "Range is [-1, int.MaxValue]"; -1 ignores every failure.
    errorThreshold: optional(int({ minimum: -1 })),
    loggingLevel: optional(enumOf('Info', 'Warning', 'Debug')),
    maxConcurrencyPerInstance: optional(int({ minimum: 1 })),
    miniBatchSize: optional(int({ minimum: 1 })),
    model: optional(assetReference),
    outputAction: optional(enumOf('SummaryOnly', 'AppendRow')),
    outputFileName: optional(str({ minLength: 1 })),
    properties: optional(stringMap()),
    resources: optional(
      object('DeploymentResourceConfiguration', {
        instanceCount: optional(int({ minimum: 1 })),
        instanceType: optional(str()),
        properties: optional(mapOf(any())),
      }),
    ),
    retrySettings: optional(
      object('BatchRetrySettings', {
        maxRetries: optional(int({ minimum: 0 })),
        timeout: optional(str({ pattern: ISO_DURATION_PATTERN })),
      }),
    ),
  },
  { readOnly: ['provisioningState'] },
);

export const batchEndpointBody = resourceBody('BatchEndpoint', batchEndpointProperties, trackedResource());
export const batchDeploymentBody = resourceBody(
  'BatchDeployment',
  batchDeploymentProperties,
  trackedResource(),
);

/** PATCH of an endpoint: tags and identity only (PartialMinimalTrackedResourceWithIdentity). */
export const batchEndpointPatchBody = object('PartialMinimalTrackedResourceWithIdentity', {
  identity: optional(
    object('PartialManagedServiceIdentity', {
      type: optional(enumOf(...IDENTITY_TYPES)),
      userAssignedIdentities: optional(userAssignedIdentities()),
    }),
  ),
  tags: optional(stringMap()),
});

/** PATCH of a deployment: tags and the description (PartialBatchDeployment). */
export const batchDeploymentPatchBody = object(
  'PartialBatchDeploymentPartialMinimalTrackedResourceWithProperties',
  {
    properties: optional(object('PartialBatchDeployment', { description: optional(str()) })),
    tags: optional(stringMap()),
  },
);
