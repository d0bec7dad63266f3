// Request schema of workspaces/datastores (DatastoreProperties and credentials), from reference/specs.
import { NEWER_CONTRACT as NEWER } from '../api-version';
import {
  enumOf,
  GUID_PATTERN,
  object,
  optional,
  required,
  resourceBody,
  str,
  stringMap,
  variant,
  word,
} from './dsl';

const guid = () => str({ minLength: 36, maxLength: 36, pattern: GUID_PATTERN });
const secretsType = () => required(enumOf('AccountKey', 'Certificate', 'Sas', 'ServicePrincipal'));
const identityForData = () =>
  optional(enumOf('None', 'WorkspaceSystemAssignedIdentity', 'WorkspaceUserAssignedIdentity'));

const servicePrincipalBase = {
  authorityUrl: optional(str()),
  clientId: required(guid()),
  resourceUrl: optional(str()),
  tenantId: required(guid()),
};

export const datastoreCredentials = object(
  'DatastoreCredentials',
  {},
  {
    discriminator: {
      property: 'credentialsType',
      variants: {
        AccountKey: variant('AccountKeyDatastoreCredentials', {
          secrets: required(
            object('AccountKeyDatastoreSecrets', { key: optional(str()), secretsType: secretsType() }),
          ),
        }),
        Certificate: variant('CertificateDatastoreCredentials', {
          ...servicePrincipalBase,
          secrets: required(
            object('CertificateDatastoreSecrets', {
              certificate: optional(str()),
              secretsType: secretsType(),
            }),
          ),
          thumbprint: required(word()),
        }),
        None: variant('NoneDatastoreCredentials', {}),
        Sas: variant('SasDatastoreCredentials', {
          secrets: required(
            object('SasDatastoreSecrets', { sasToken: optional(str()), secretsType: secretsType() }),
          ),
        }),
        ServicePrincipal: variant('ServicePrincipalDatastoreCredentials', {
          ...servicePrincipalBase,
          secrets: required(
            object('ServicePrincipalDatastoreSecrets', {
              clientSecret: optional(str()),
              secretsType: secretsType(),
            }),
          ),
        }),
      },
    },
  },
);

const storageScope = () => ({
  resourceGroup: optional(str(), NEWER),
  subscriptionId: optional(str(), NEWER),
});

export const datastoreProperties = object(
  'DatastoreProperties',
  {
    credentials: required(datastoreCredentials),
    description: optional(str()),
    properties: optional(stringMap()),
    tags: optional(stringMap()),
  },
  {
    readOnly: ['isDefault'],
    discriminator: {
      property: 'datastoreType',
      variants: {
        AzureBlob: variant('AzureBlobDatastore', {
          accountName: optional(str()),
          containerName: optional(str()),
          endpoint: optional(str()),
          protocol: optional(str()),
          serviceDataAccessAuthIdentity: identityForData(),
          ...storageScope(),
        }),
        AzureDataLakeGen1: variant('AzureDataLakeGen1Datastore', {
          serviceDataAccessAuthIdentity: identityForData(),
          storeName: required(word()),
          ...storageScope(),
        }),
        AzureDataLakeGen2: variant('AzureDataLakeGen2Datastore', {
          accountName: required(word()),
          endpoint: optional(str()),
          filesystem: required(word()),
          protocol: optional(str()),
          serviceDataAccessAuthIdentity: identityForData(),
          ...storageScope(),
        }),
        AzureFile: variant('AzureFileDatastore', {
          accountName: required(word()),
          endpoint: optional(str()),
          fileShareName: required(word()),
          protocol: optional(str()),
          serviceDataAccessAuthIdentity: identityForData(),
          ...storageScope(),
        }),
        OneLake: variant(
          'OneLakeDatastore',
          {
            artifact: required(
              object(
                'OneLakeArtifact',
                { artifactName: required(word()) },
                {
                  discriminator: {
                    property: 'artifactType',
                    variants: { LakeHouse: variant('LakeHouseArtifact', {}) },
                  },
                },
              ),
            ),
            endpoint: optional(str()),
            oneLakeWorkspaceName: required(word()),
            serviceDataAccessAuthIdentity: identityForData(),
          },
          { since: NEWER },
        ),
      },
    },
  },
);

export const datastoreBody = resourceBody('Datastore', datastoreProperties);
