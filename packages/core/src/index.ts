// The core library: everything an action needs except the @actions/* adapter (./github).
export * from './arm';
export * from './auth';
export * from './cloud';
export * from './datastores/datastore-client';
export * from './errors';
export * from './jobs/job-client';
export * from './workspace';
export * from './session/workspace-session';
export * from './jobs/children';
export * from './jobs/log-stream';
export * from './jobs/poll-schedule';
export * from './jobs/run-history';
export * from './jobs/wait';
export * from './metrics';
