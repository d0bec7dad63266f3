// Request schema of workspaces/computes (ComputeResource). AmlCompute and ComputeInstance are
// checked property by property; the attached compute types are accepted with free-form properties.
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  any,
  arrayOf,
  bool,
  enumOf,
  int,
  mapOf,
  object,
  optional,
  required,
  resourceBody,
  str,
  stringMap,
  variant,
} from './dsl';

const resourceId = () => object('ResourceId', { id: required(str()) });

export const scaleSettings = object('ScaleSettings', {
  maxNodeCount: required(int()),
  minNodeCount: optional(int()),
  nodeIdleTimeBeforeScaleDown: optional(str()),
});

const amlComputeProperties = object(
  'AmlComputeProperties',
  {
    enableNodePublicIp: optional(bool()),
    isolatedNetwork: optional(bool()),
    osType: optional(enumOf('Linux', 'Windows')),
    propertyBag: optional(any()),
    remoteLoginPortPublicAccess: optional(enumOf('Enabled', 'Disabled', 'NotSpecified')),
    scaleSettings: optional(scaleSettings),
    subnet: optional(resourceId()),
    userAccountCredentials: optional(
      object('UserAccountCredentials', {
        adminUserName: required(str()),
        adminUserPassword: optional(str()),
        adminUserSshPublicKey: optional(str()),
      }),
    ),
    virtualMachineImage: optional(object('VirtualMachineImage', { id: required(str()) })),
    vmPriority: optional(enumOf('Dedicated', 'LowPriority')),
    vmSize: optional(str()),
  },
  {
    readOnly: [
      'allocationState',
      'allocationStateTransitionTime',
      'currentNodeCount',
      'errors',
      'nodeStateCounts',
      'targetNodeCount',
    ],
  },
);

const computeInstanceProperties = object(
  'ComputeInstanceProperties',
  {
    applicationSharingPolicy: optional(enumOf('Personal', 'Shared')),
    computeInstanceAuthorizationType: optional(enumOf('personal')),
    customServices: optional(arrayOf(any({ object: true })), NEWER),
    enableNodePublicIp: optional(bool()),
    enableSSO: optional(bool(), NEWER),
    idleTimeBeforeShutdown: optional(str(), NEWER),
    personalComputeInstanceSettings: optional(
      object('PersonalComputeInstanceSettings', {
        assignedUser: optional(
          object('AssignedUser', { objectId: required(str()), tenantId: required(str()) }),
        ),
      }),
    ),
    schedules: optional(any({ object: true })),
    setupScripts: optional(any({ object: true })),
    sshSettings: optional(
      object('ComputeInstanceSshSettings', {
        adminPublicKey: optional(str()),
        sshPublicAccess: optional(enumOf('Enabled', 'Disabled')),
      }),
    ),
    subnet: optional(resourceId()),
    vmSize: optional(str()),
  },
  {
    readOnly: [
      'applications',
      'connectivityEndpoints',
      'containers',
      'createdBy',
      'dataDisks',
      'dataMounts',
      'errors',
      'lastOperation',
      'osImageMetadata',
      'state',
      'versions',
    ],
  },
);

export const COMPUTE_TYPES = [
  'AKS',
  'AmlCompute',
  'ComputeInstance',
  'Databricks',
  'DataFactory',
  'DataLakeAnalytics',
  'HDInsight',
  'Kubernetes',
  'SynapseSpark',
  'VirtualMachine',
] as const;

const attached = (name: string) => variant(name, { properties: optional(any({ object: true })) });

export const computeProperties = object(
  'Compute',
  {
    computeLocation: optional(str()),
    description: optional(str()),
    disableLocalAuth: optional(bool()),
    resourceId: optional(str()),
  },
  {
    readOnly: ['createdOn', 'modifiedOn', 'provisioningErrors', 'provisioningState', 'isAttachedCompute'],
    discriminator: {
      property: 'computeType',
      variants: {
        ...Object.fromEntries(COMPUTE_TYPES.map((type) => [type, attached(type)])),
        DataFactory: variant('DataFactory', {}),
        AmlCompute: variant('AmlCompute', { properties: optional(amlComputeProperties) }),
        ComputeInstance: variant('ComputeInstance', { properties: optional(computeInstanceProperties) }),
      },
    },
  },
);

export const computeBody = resourceBody('ComputeResource', computeProperties, {
  identity: optional(
    object('ManagedServiceIdentity', {
      type: required(enumOf('None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned,UserAssigned')),
      userAssignedIdentities: optional(mapOf(any({ object: true }))),
    }),
  ),
  location: optional(str()),
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
