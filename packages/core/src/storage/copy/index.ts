// Verified, streaming copies between object stores: the plan (pure), the checksums, the engine.
export * from './checksums';
export * from './engine';
export * from './plan';
