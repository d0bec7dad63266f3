// References to workspace things (`azureml:` names, registry URIs, ARM ids, local files) checked up
// front and turned into Deferred resolver calls.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { stringify } from 'yaml';
import { Deferred } from './deferred';
import type { Field } from './field';
import type { AnonymousEnvironmentSpec, AssetRef } from './types';

const ARM_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\//i;
const SHORT_REF = /^azureml:([A-Za-z0-9][\w.-]*)(?::([\w.-]+)|@([\w.-]+))?$/;
const REMOTE_URI = /^(azureml|https?|wasbs?|abfss?|adl|gs|s3):\/\//i;

export type AssetKind = 'environments' | 'components' | 'data';

/** `azureml:name:version`, `azureml:name@label`, `azureml://registries/r/<kind>/n/versions/v|labels/l`. */
export function parseAssetRef(text: string, kind: AssetKind): AssetRef | 'arm-id' | 'no-version' | undefined {
  const trimmed = text.replace(/^azureml:(?=\/subscriptions\/)/i, '');
  if (ARM_ID.test(trimmed)) return 'arm-id';
  const registry = new RegExp(
    `^azureml://registries/([^/]+)/${kind}/([^/]+)(?:/versions/([^/]+)|/labels/([^/]+))?/?$`,
    'i',
  ).exec(text);
  if (registry) {
    const [, registryName = '', name = '', version, label] = registry;
    if (version === undefined && label === undefined) return 'no-version';
    return { name, registry: registryName, ...(version ? { version } : { label: label ?? 'latest' }) };
  }
  const short = SHORT_REF.exec(text);
  if (!short) return undefined;
  const [, name = '', version, label] = short;
  if (version === undefined && label === undefined) return 'no-version';
  return version !== undefined ? { name, version } : { name, label: label ?? 'latest' };
}

const describeRef = (ref: AssetRef): string =>
  `${ref.registry ? `registry '${ref.registry}' ` : ''}${ref.name}${ref.version ? `:${ref.version}` : `@${ref.label}`}`;

/** An absolute path for a local path written in the YAML, relative to that YAML file. */
export function localPathOf(field: Field, text: string): string {
  const path = text.replace(/^file:(\/\/)?/i, '');
  return isAbsolute(path) ? path : resolve(dirname(resolve(field.source.file)), path);
}

/** Fails unless the local path exists (of the expected kind). */
export function existingPath(field: Field, text: string, what: string, kind?: 'file' | 'directory'): string {
  const path = localPathOf(field, text);
  if (!existsSync(path)) {
    field.fail(
      `${what} '${text}' does not exist (looked for ${path})`,
      `Check the path: it is relative to ${field.source.file}, not to the working directory.`,
    );
  }
  if (kind === 'file' && !statSync(path).isFile()) {
    field.fail(`${what} '${text}' is a folder, not a file`, 'Point it at a file.');
  }
  if (kind === 'directory' && !statSync(path).isDirectory()) {
    field.fail(`${what} '${text}' is a file, not a folder`, 'Point it at a folder.');
  }
  return path;
}

export const isRemoteUri = (text: string): boolean => REMOTE_URI.test(text);
export const isArmId = (text: string): boolean => ARM_ID.test(text.replace(/^azureml:/i, ''));
const armId = (text: string) => text.replace(/^azureml:(?=\/)/i, '');

/** `compute: azureml:name` (or a bare name, or an ARM id) → the compute ARM id. */
export function computeRef(field: Field): Deferred | string {
  const text = field.string('azureml:cpu-cluster');
  if (isArmId(text)) return armId(text);
  const name = text.replace(/^azureml:/i, '');
  if (!/^[A-Za-z0-9][\w-]*$/.test(name)) {
    field.fail(
      `'${field.label}' is '${text}', which is not a compute reference`,
      'Name a compute of the workspace as `azureml:<compute-name>` (e.g. `azureml:cpu-cluster`), or remove `compute` and set `resources.instance_type` for serverless compute.',
    );
  }
  const at = field.at();
  return new Deferred(`compute:${name}`, ({ resolver }) => resolver.compute(name, at));
}

/** `code: ./src` → the code version ARM id (uploaded by the resolver); ARM ids pass through. */
export function codeRef(field: Field): Deferred | string {
  const text = field.string('./src');
  if (isArmId(text)) return armId(text);
  if (text.startsWith('azureml:') || isRemoteUri(text)) {
    field.fail(
      `'${field.label}' is '${text}'; only a local folder (or file) or a code version ARM id is accepted`,
      'Point `code` at the local folder holding the scripts, relative to this YAML file (e.g. `code: ../src`).',
    );
  }
  const path = existingPath(field, text, 'code path');
  const at = field.at();
  return new Deferred(`code:${path}`, ({ resolver }) => resolver.code(path, at));
}

const ENVIRONMENT_FIX =
  'Write `environment: azureml:<name>:<version>`, `azureml:<name>@latest`, or an inline environment with `image:` (and optionally `conda_file:`) or `build:`.';

/** A registered environment reference or an inline (anonymous) environment → environment version ARM id. */
export function environmentRef(field: Field): Deferred | string {
  field.required('azureml:my-env@latest');
  if (field.isMapping) return anonymousEnvironment(field);
  const text = field.string('azureml:my-env@latest');
  const ref = parseAssetRef(text, 'environments');
  if (ref === 'arm-id') return armId(text);
  if (ref === 'no-version') {
    field.fail(
      `environment '${text}' names no version or label`,
      `Write \`${text}:<version>\` or \`${text}@latest\`.`,
    );
  }
  if (ref === undefined) {
    const hint = /^[A-Za-z0-9][\w.-]*(:[\w.-]+|@[\w.-]+)$/.test(text)
      ? ` (did you mean 'azureml:${text}'?)`
      : '';
    field.fail(`environment '${text}' is not an environment reference${hint}`, ENVIRONMENT_FIX);
  }
  const at = field.at();
  return new Deferred(`environment:${JSON.stringify(ref)}`, ({ resolver }) => resolver.environment(ref, at));
}

const OS_TYPES = { linux: 'Linux', windows: 'Windows' } as const;

function anonymousEnvironment(field: Field): Deferred {
  field.keys(
    ['image', 'conda_file', 'build', 'os_type', 'name', 'version', 'description'],
    'the inline environment',
  );
  const spec: AnonymousEnvironmentSpec = {};
  const image = field.child('image').optionalString('mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04');
  if (image !== undefined) spec.image = image;
  const conda = field.child('conda_file');
  if (conda.isMapping) spec.condaFile = stringify(conda.value);
  else if (conda.present)
    spec.condaFile = readFileSync(
      existingPath(conda, conda.string('./conda.yml'), 'conda file', 'file'),
      'utf8',
    );
  const build = field.child('build');
  if (build.present) {
    build.keys(['path', 'dockerfile_path'], 'environment.build');
    const pathField = build.child('path').required('./docker');
    const text = pathField.string('./docker');
    const path = isRemoteUri(text)
      ? text
      : existingPath(pathField, text, 'docker build context', 'directory');
    const dockerfilePath = build.child('dockerfile_path').optionalString('Dockerfile');
    spec.build = dockerfilePath === undefined ? { path } : { path, dockerfilePath };
  }
  const osType = field.child('os_type').optionalChoice(OS_TYPES);
  if (osType !== undefined) spec.osType = osType;
  if (spec.image === undefined && spec.build === undefined) {
    field.fail('the inline environment has neither `image` nor `build`', ENVIRONMENT_FIX);
  }
  if (spec.image !== undefined && spec.build !== undefined) {
    field.fail(
      'the inline environment has both `image` and `build`',
      'Keep one of them: an image to use as is, or a build context.',
    );
  }
  const at = field.at();
  return new Deferred(`anonymous-environment:${JSON.stringify(spec)}`, ({ resolver }) =>
    resolver.anonymousEnvironment(spec, at),
  );
}

/** `azureml:name:version` data asset, remote URI (passed through) or local path (uploaded). */
export function dataUri(field: Field, text: string): Deferred | string {
  if (isRemoteUri(text)) return text;
  if (isArmId(text)) return armId(text);
  if (text.startsWith('azureml:')) {
    const ref = parseAssetRef(text, 'data');
    if (ref === 'no-version' || ref === undefined || ref === 'arm-id') {
      field.fail(
        `'${field.label}' is '${text}', which is not a data reference`,
        'Write `azureml:<name>:<version>` or `azureml:<name>@latest` for a data asset, or an `azureml://datastores/<datastore>/paths/<path>` URI.',
      );
    }
    const at = field.at();
    return new Deferred(`data:${JSON.stringify(ref)}`, ({ resolver }) => resolver.data(ref, at));
  }
  const path = existingPath(field, text, 'input path');
  const at = field.at();
  return new Deferred(`local:${path}`, ({ resolver }) => resolver.localInput(path, at));
}

/** A component reference that is not a local file → the component version ARM id. */
export function registeredComponent(field: Field, text: string): Deferred | string | undefined {
  const ref = parseAssetRef(text, 'components');
  if (ref === 'arm-id') return armId(text);
  if (ref === 'no-version') {
    field.fail(
      `component '${text}' names no version or label`,
      `Write \`${text}:<version>\` or \`${text}@latest\`.`,
    );
  }
  if (ref === undefined) {
    if (text.startsWith('azureml:')) {
      field.fail(
        `component '${text}' is not a component reference`,
        'Write `azureml:<name>:<version>`, `azureml:<name>@latest`, `azureml://registries/<registry>/components/<name>/versions/<version>`, or a local component YAML path such as `./train.yml`.',
      );
    }
    return undefined;
  }
  const at = field.at();
  return new Deferred(`component:${describeRef(ref)}`, ({ resolver }) => resolver.component(ref, at));
}
