// Request schemas of the versioned assets (codes, components, data, environments, models):
// containers and versions, from reference/specs (deployment schemas + read-only properties).
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  any,
  arrayOf,
  bool,
  enumOf,
  int,
  mapOf,
  type ObjectSchema,
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

export type AssetKind = 'codes' | 'components' | 'data' | 'environments' | 'models';

const assetBase = (): Record<string, Property> => ({
  description: optional(str()),
  isArchived: optional(bool()),
  properties: optional(stringMap()),
  tags: optional(stringMap()),
});

const versionBase = (): Record<string, Property> => ({ ...assetBase(), isAnonymous: optional(bool()) });

const CONTAINER_READ_ONLY = ['latestVersion', 'nextVersion', 'provisioningState'];
const VERSION_READ_ONLY = ['provisioningState'];

export const DATA_TYPES = ['uri_file', 'uri_folder', 'mltable'];

const containerSchemas: Record<AssetKind, ObjectSchema> = {
  codes: object('CodeContainerProperties', assetBase(), { readOnly: CONTAINER_READ_ONLY }),
  components: object('ComponentContainerProperties', assetBase(), { readOnly: CONTAINER_READ_ONLY }),
  data: object(
    'DataContainerProperties',
    { ...assetBase(), dataType: required(enumOf(...DATA_TYPES)) },
    { readOnly: CONTAINER_READ_ONLY },
  ),
  environments: object('EnvironmentContainerProperties', assetBase(), { readOnly: CONTAINER_READ_ONLY }),
  models: object('ModelContainerProperties', assetBase(), { readOnly: CONTAINER_READ_ONLY }),
};

const route = object('Route', { path: required(word()), port: required(int()) });

const versionSchemas: Record<AssetKind, ObjectSchema> = {
  codes: object(
    'CodeVersionProperties',
    { ...versionBase(), codeUri: optional(str()) },
    { readOnly: VERSION_READ_ONLY },
  ),
  components: object(
    'ComponentVersionProperties',
    { ...versionBase(), componentSpec: optional(any({ object: true })) },
    { readOnly: VERSION_READ_ONLY },
  ),
  data: object(
    'DataVersionBaseProperties',
    { ...versionBase(), dataUri: required(word()) },
    {
      readOnly: VERSION_READ_ONLY,
      discriminator: {
        property: 'dataType',
        variants: {
          mltable: variant('MLTableData', { referencedUris: optional(arrayOf(str())) }),
          uri_file: variant('UriFileDataVersion', {}),
          uri_folder: variant('UriFolderDataVersion', {}),
        },
      },
    },
  ),
  environments: object(
    'EnvironmentVersionProperties',
    {
      ...versionBase(),
      autoRebuild: optional(enumOf('Disabled', 'OnBaseImageUpdate')),
      build: optional(
        object('BuildContext', { contextUri: required(word()), dockerfilePath: optional(str()) }),
      ),
      condaFile: optional(str()),
      image: optional(str()),
      inferenceConfig: optional(
        object('InferenceContainerProperties', {
          livenessRoute: optional(route),
          readinessRoute: optional(route),
          scoringRoute: optional(route),
          startupRoute: optional(route, NEWER),
        }),
      ),
      osType: optional(enumOf('Linux', 'Windows')),
      stage: optional(str(), NEWER),
    },
    { readOnly: [...VERSION_READ_ONLY, 'environmentType'] },
  ),
  models: object(
    'ModelVersionProperties',
    {
      ...versionBase(),
      datasets: optional(
        arrayOf(object('DatasetReference', { id: optional(str()), name: optional(str()) })),
        NEWER,
      ),
      flavors: optional(mapOf(any({ object: true }))),
      jobName: optional(str()),
      modelType: optional(str()),
      modelUri: optional(str()),
      stage: optional(str(), NEWER),
    },
    { readOnly: VERSION_READ_ONLY },
  ),
};

const RESOURCE_NAMES: Record<AssetKind, [container: string, version: string]> = {
  codes: ['CodeContainer', 'CodeVersion'],
  components: ['ComponentContainer', 'ComponentVersion'],
  data: ['DataContainer', 'DataVersionBase'],
  environments: ['EnvironmentContainer', 'EnvironmentVersion'],
  models: ['ModelContainer', 'ModelVersion'],
};

export const containerBody = (kind: AssetKind) =>
  resourceBody(RESOURCE_NAMES[kind][0], containerSchemas[kind]);
export const versionBody = (kind: AssetKind) => resourceBody(RESOURCE_NAMES[kind][1], versionSchemas[kind]);

export const assetSchemas = { containers: containerSchemas, versions: versionSchemas };
