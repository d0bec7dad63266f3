// A ReferenceResolver that answers with ARM ids of one workspace and records every call.
import { ConfigurationError } from '../../../src/errors';
import type { AssetRef, ReferenceResolver, SourceLocation } from '../../../src/jobs/spec';

export const WS =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

export interface RecordedCall {
  method: keyof ReferenceResolver;
  arg: unknown;
  at: SourceLocation;
}

const version = (ref: AssetRef) => ref.version ?? (ref.label === 'latest' ? '7' : `label-${ref.label}`);

export function fakeResolver(
  options: { computes?: string[] } = {},
): ReferenceResolver & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const computes = options.computes ?? ['cpu-cluster', 'gpu-cluster'];
  let anonymous = 0;
  const record = (method: keyof ReferenceResolver, arg: unknown, at: SourceLocation) => {
    calls.push({ method, arg, at });
  };
  return {
    calls,
    async compute(name, at) {
      record('compute', name, at);
      if (!computes.includes(name)) {
        throw new ConfigurationError(`compute '${name}' does not exist in workspace 'ws'`, {
          file: at.file,
          line: at.line,
          column: at.column,
          fix: `Use one of: ${computes.join(', ')}.`,
        });
      }
      return `${WS}/computes/${name}`;
    },
    async environment(ref, at) {
      record('environment', ref, at);
      return ref.registry
        ? `azureml://registries/${ref.registry}/environments/${ref.name}/versions/${version(ref)}`
        : `${WS}/environments/${ref.name}/versions/${version(ref)}`;
    },
    async anonymousEnvironment(spec, at) {
      record('anonymousEnvironment', spec, at);
      return `${WS}/environments/CliV2AnonymousEnvironment/versions/anon${++anonymous}`;
    },
    async component(ref, at) {
      record('component', ref, at);
      return ref.registry
        ? `azureml://registries/${ref.registry}/components/${ref.name}/versions/${version(ref)}`
        : `${WS}/components/${ref.name}/versions/${version(ref)}`;
    },
    async anonymousComponent(spec, at) {
      record('anonymousComponent', spec, at);
      return `${WS}/components/azureml_anonymous/versions/anon${++anonymous}`;
    },
    async code(localPath, at) {
      record('code', localPath, at);
      return `${WS}/codes/code-${localPath.split('/').at(-1)}/versions/1`;
    },
    async localInput(localPath, at) {
      record('localInput', localPath, at);
      return `azureml://datastores/workspaceblobstore/paths/LocalUpload/hash/${localPath.split('/').at(-1)}`;
    },
    async data(ref, at) {
      record('data', ref, at);
      return `${WS}/data/${ref.name}/versions/${version(ref)}`;
    },
  };
}
