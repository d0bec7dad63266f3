export * from './batch-endpoints';
export * from './endpoint-yaml';
export * from './health-gate';
export * from './invoke';
export * from './online-endpoints';
export * from './scoring-credential';
export * from './traffic';
