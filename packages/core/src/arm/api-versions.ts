// The one table of ARM api-versions, by operation family. Everything that @azure/arm-machinelearning
// 2.1.1 covers goes through the SDK at its 2022-10-01; the rest goes through ArmRestClient at the
// newer stable 2025-12-01, which is a superset for the shapes we send. The emulator serves exactly
// these versions, so a change here is a change to what the emulator must accept.

export const API_VERSIONS = {
  /** Workspaces, computes, datastores, asset containers/versions, endpoints, deployments, keys, logs. */
  sdk: '2022-10-01',
  /** Jobs: `queueSettings` (command, sweep) and `notificationSetting` are missing from 2022-10-01. */
  jobs: '2025-12-01',
  /** Model versions with `stage` (register-model sets and moves it): missing from 2022-10-01. */
  models: '2025-12-01',
  /** Registries and registry-scoped assets do not exist in 2022-10-01. */
  registries: '2025-12-01',
  /** Code/model/data `startPendingUpload` (blob SAS for uploads) is missing from 2022-10-01. */
  pendingUploads: '2025-12-01',
  /**
   * Code version list by content hash (`?hash=&hashVersion=202208`): the filter is missing from
   * 2022-10-01, which would list only the named container (recorded at 2023-04-01).
   */
  codeHashLookup: '2025-12-01',
  /**
   * Online and batch endpoints and deployments: `mirrorTraffic` (shadow traffic) on endpoints and
   * `dataCollector` on deployments are missing from 2022-10-01.
   */
  endpoints: '2025-12-01',
} as const;

export type ApiFamily = keyof typeof API_VERSIONS;
export type ApiVersion = (typeof API_VERSIONS)[ApiFamily];
