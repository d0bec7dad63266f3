// CLI v2 job YAML → ARM REST job bodies.

// The located-YAML reader, for other strict file formats (endpoint YAML, smoke-invoke cases).
export { Field } from './field';
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
export { type ProblemOptions, type YamlPath, YamlSource } from './yaml-source';
