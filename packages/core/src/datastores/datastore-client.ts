import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { withAzureErrors } from '../arm/errors';
import type { WorkspaceRef } from '../workspace/arm-id';

export interface Datastore {
  name: string;
  type: string;
  isDefault: boolean;
  accountName?: string;
  containerName?: string;
  /** The blob service URL built from the datastore's account, endpoint and protocol. */
  blobServiceUrl?: string;
}

export interface DatastoreSecrets {
  kind: 'AccountKey' | 'Sas' | 'Other';
  /** The account key or SAS token; already handed to `onSecret` before it is returned. */
  secret: string | undefined;
}

/**
 * `endpoint` is the storage suffix (`core.windows.net`) for real accounts; an IP or localhost
 * `host:port` means a path-style local account (Azurite), `{protocol}://{endpoint}/{account}`.
 */
export function blobServiceUrl(
  accountName: string,
  endpoint = 'core.windows.net',
  protocol = 'https',
): string {
  if (/^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d+)?$/i.test(endpoint)) {
    return `${protocol}://${endpoint}/${accountName}`;
  }
  return `${protocol}://${accountName}.blob.${endpoint}`;
}

export class DatastoreClient {
  constructor(
    private readonly sdk: AzureMachineLearningWorkspaces,
    private readonly workspace: WorkspaceRef,
    /** Called with every secret the moment it is read, before anything else sees it (masking). */
    private readonly onSecret: (secret: string) => void,
  ) {}

  async get(name: string): Promise<Datastore> {
    const { resourceGroup, workspace } = this.workspace;
    const resource = await withAzureErrors(() => this.sdk.datastores.get(resourceGroup, workspace, name));
    const properties = resource.properties as unknown as Record<string, unknown>;
    const accountName = typeof properties.accountName === 'string' ? properties.accountName : undefined;
    return {
      name: resource.name ?? name,
      type: String(properties.datastoreType),
      isDefault: properties.isDefault === true,
      ...(accountName ? { accountName } : {}),
      ...(typeof properties.containerName === 'string' ? { containerName: properties.containerName } : {}),
      ...(accountName
        ? {
            blobServiceUrl: blobServiceUrl(
              accountName,
              properties.endpoint as string | undefined,
              properties.protocol as string | undefined,
            ),
          }
        : {}),
    };
  }

  async listSecrets(name: string): Promise<DatastoreSecrets> {
    const { resourceGroup, workspace } = this.workspace;
    const secrets = (await withAzureErrors(() =>
      this.sdk.datastores.listSecrets(resourceGroup, workspace, name),
    )) as unknown as Record<string, unknown>;
    const secret =
      typeof secrets.key === 'string'
        ? secrets.key
        : typeof secrets.sasToken === 'string'
          ? secrets.sasToken
          : undefined;
    if (secret) this.onSecret(secret);
    const kind =
      secrets.secretsType === 'AccountKey' ? 'AccountKey' : secrets.secretsType === 'Sas' ? 'Sas' : 'Other';
    return { kind, secret };
  }
}
