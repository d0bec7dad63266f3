import type { StateStore } from './state/store';

/** The blob account backing the workspace's datastores (Azurite). */
export interface StorageAccount {
  accountName: string;
  accountKey: string;
  /** e.g. http://127.0.0.1:10000/devstoreaccount1 */
  blobEndpoint: string;
}

/** The Azure ML registry the emulator seeds, with its own blob account (separate from the workspace's). */
export interface RegistryContext {
  name: string;
  storage: StorageAccount;
}

/** What the ARM routes need to know about the emulated workspace and its surroundings. */
export interface ArmContext {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  location: string;
  tenantId: string;
  /** The ARM endpoint as clients see it, e.g. https://127.0.0.1:8443 (no trailing slash). */
  baseUrl: string;
  store: StateStore;
  storage: StorageAccount;
  /** The one registry, in the same resource group and location as the workspace. */
  registry: RegistryContext;
  now: () => Date;
}
