// CLI v2 job YAML → ARM REST job bodies.
export { parseSetOverrides } from './overrides';
export { translateJobYaml } from './translate';
export type {
  AnonymousEnvironmentSpec,
  AssetRef,
  JobOverride,
  ReferenceResolver,
  SourceLocation,
  TranslatedJob,
  TranslateOptions,
} from './types';
