// Every way Azure ML CLI v2 YAML and action inputs refer to assets, computes, data and outputs:
// `azureml:` references, `azureml://` URIs, ARM ids, MLflow URIs and (when the caller accepts
// them) external storage URLs and local paths. A malformed reference is a ConfigurationError
// that names the mistake and shows the form that would have worked.

import { fileURLToPath } from 'node:url';
import { ConfigurationError, type ConfigurationLocation } from '../errors';
import {
  ASSET_TYPES,
  type AssetType,
  formatArmId,
  isAssetType,
  type ParsedArmId,
  parseArmId,
  type WorkspaceRef,
} from './arm-id';
import {
  checkLabel,
  checkResourceGroupName,
  checkResourceName,
  checkSubscriptionSegment,
  checkVersion,
  checkWorkspaceName,
} from './names';

/** The output name under which a job's default artifacts (its `outputs/` folder, logs) live. */
export const DEFAULT_ARTIFACTS_OUTPUT = 'artifacts';

export type AzureMlReference =
  /** `azureml:<name>:<version>`, or `<name>:<version>` where bare references are allowed. */
  | { kind: 'asset-version'; name: string; version: string; prefixed: boolean }
  /** `azureml:<name>@<label>`, usually `@latest`. */
  | { kind: 'asset-label'; name: string; label: string }
  /** `azureml:<name>`: a compute, or an asset by name; the caller decides which. */
  | { kind: 'name'; name: string }
  /** A full ARM id, with (`azureml:/subscriptions/…`) or without the prefix. */
  | { kind: 'arm'; id: ParsedArmId; prefixed: boolean }
  | DatastoreReference
  /** `azureml://jobs/<job>/outputs/<output>[/paths/<path>]`; output `artifacts` is the default one. */
  | { kind: 'job-output'; job: string; output: string; path?: string }
  | RegistryAssetReference
  /** MLflow `runs:/<run-id>/<path>` (path may be empty: the run's artifact root). */
  | { kind: 'mlflow-run'; runId: string; path: string }
  /** MLflow `models:/<name>/<version>`. */
  | { kind: 'mlflow-model'; name: string; version: string }
  /** `https://<account>.blob.core.windows.net/<container>/<path>` (or an Azurite path-style URL). */
  | { kind: 'blob'; url: string; account: string; container: string; path: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'gs'; bucket: string; key: string }
  | { kind: 'local'; path: string };

export type DatastoreReference =
  /** `azureml://datastores/<ds>/paths/<path>`. */
  | { kind: 'datastore'; form: 'short'; datastore: string; path: string }
  /** `azureml://subscriptions/<s>/resourcegroups/<rg>/workspaces/<ws>/datastores/<ds>/paths/<path>`. */
  | { kind: 'datastore'; form: 'long'; workspace: WorkspaceRef; datastore: string; path: string }
  /**
   * `azureml://datastores/<ds>/ExperimentRun/<rest>`: the default output the service adds to a
   * job (`…/workspaceartifactstore/ExperimentRun/dcid.<job>`); `path` starts with `ExperimentRun/`.
   */
  | { kind: 'datastore'; form: 'run-artifacts'; datastore: string; path: string };

export type RegistryAssetReference =
  | { kind: 'registry-asset'; registry: string; assetType: AssetType; name: string; version: string }
  | { kind: 'registry-asset'; registry: string; assetType: AssetType; name: string; label: string };

export type AzureMlReferenceKind = AzureMlReference['kind'];

export interface ParseAzureMlReferenceOptions extends ConfigurationLocation {
  /** Accept `<name>:<version>` without the `azureml:` prefix. */
  allowBare?: boolean;
  /** Accept blob, S3 and GCS URLs and local paths. */
  allowExternal?: boolean;
}

const FORMS = {
  assetVersion: 'azureml:<name>:<version>',
  assetLabel: 'azureml:<name>@<label>',
  datastore: 'azureml://datastores/<datastore>/paths/<path>',
  datastoreLong:
    'azureml://subscriptions/<subscription-id>/resourcegroups/<resource-group>/workspaces/<workspace>/datastores/<datastore>/paths/<path>',
  jobOutput: 'azureml://jobs/<job>/outputs/<output>[/paths/<path>]',
  registry: 'azureml://registries/<registry>/<type>/<name>/versions/<version> (or /labels/<label>)',
  run: 'runs:/<run-id>/<path>',
  model: 'models:/<name>/<version>',
  blob: 'https://<account>.blob.core.windows.net/<container>/<path>',
};

class ReferenceParser {
  constructor(
    readonly text: string,
    readonly options: ParseAzureMlReferenceOptions,
  ) {}

  get location(): ConfigurationLocation {
    const { input, file, line, column } = this.options;
    return { input, file, line, column };
  }

  fail(problem: string, fix: string): never {
    throw new ConfigurationError(`'${this.text}' is not a valid reference: ${problem}`, {
      ...this.location,
      fix,
    });
  }

  /** Checks one part with a naming rule; `form` is the correct shape to show on failure. */
  check(value: string, what: string, rule: (v: string) => string | undefined, form: string): string {
    const problem = rule(value);
    if (problem) {
      this.fail(
        value === '' ? `the ${what} is empty` : `the ${what} '${value}' is not valid: ${problem}`,
        `Write it as ${form}.`,
      );
    }
    return value;
  }

  armId(id: string, prefixed: boolean): AzureMlReference {
    return { kind: 'arm', id: parseArmId(id, this.location), prefixed };
  }
}

/** Parses any Azure ML reference form; see AzureMlReference for the forms. */
export function parseAzureMlReference(
  text: string,
  options: ParseAzureMlReferenceOptions = {},
): AzureMlReference {
  const value = text.trim();
  const parser = new ReferenceParser(value, options);
  if (value === '') {
    parser.fail('it is empty', `Write a reference such as ${FORMS.assetVersion} or ${FORMS.datastore}.`);
  }
  const lower = value.toLowerCase();
  if (lower.startsWith('azureml://')) return parseAzureMlUri(parser, value.slice('azureml://'.length));
  if (lower.startsWith('azureml:')) return parsePrefixed(parser, value.slice('azureml:'.length));
  if (lower.startsWith('runs:')) return parseMlflowRun(parser, value.slice('runs:'.length));
  if (lower.startsWith('models:')) return parseMlflowModel(parser, value.slice('models:'.length));
  if (/^\/subscriptions\//i.test(value)) return parser.armId(value, false);

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined || lower.startsWith('file:'))
    return parseExternalUrl(parser, value, scheme ?? 'file');

  const bare = /^([^:/\\@]*):([^:/\\]*)$/.exec(value);
  if (bare) {
    if (!options.allowBare) {
      parser.fail(
        'an asset reference needs the azureml: prefix here',
        `Write it as azureml:${value} (${FORMS.assetVersion}).`,
      );
    }
    return parseNameAndVersion(parser, bare[1] ?? '', bare[2] ?? '', false);
  }
  if (options.allowExternal) return { kind: 'local', path: value };
  return parser.fail(
    'it is not an Azure ML reference (local paths and external URLs are not accepted here)',
    `Write ${FORMS.assetVersion}, ${FORMS.assetLabel}, azureml:<compute>, ${FORMS.datastore} or ${FORMS.jobOutput}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// azureml:<name>[:<version>|@<label>] and azureml:/subscriptions/…

function parsePrefixed(parser: ReferenceParser, rest: string): AzureMlReference {
  if (rest === '') {
    parser.fail(
      'nothing follows azureml:',
      `Write ${FORMS.assetVersion}, ${FORMS.assetLabel} or azureml:<compute>.`,
    );
  }
  if (rest.startsWith('/')) {
    if (/^\/subscriptions\//i.test(rest)) return parser.armId(rest, true);
    const asset = /^\/?([^/]+)\/([^/]+)\/versions\/([^/]+)$/.exec(rest);
    const example = asset ? `azureml:${asset[2]}:${asset[3]}` : FORMS.assetVersion;
    const registry = asset
      ? `azureml://registries/<registry>/${asset[1]}/${asset[2]}/versions/${asset[3]}`
      : 'azureml://registries/...';
    parser.fail(
      'it looks like an ARM path but is missing /subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.MachineLearningServices/workspaces/<workspace>',
      `Use ${example} for an asset of this workspace, ${registry} for a registry asset, or the full ARM id.`,
    );
  }
  if (rest.includes('/')) {
    if (/^subscriptions\//i.test(rest)) {
      parser.fail('an ARM id starts with a slash', `Write it as azureml:/${rest}.`);
    }
    const asset = /^([^/]+)\/([^/]+)\/versions\/([^/]+)$/.exec(rest);
    parser.fail(
      "a name cannot contain '/'",
      asset
        ? `Use azureml:${asset[2]}:${asset[3]} for an asset of this workspace, or azureml://registries/<registry>/${rest} for a registry asset.`
        : `Write ${FORMS.assetVersion}, ${FORMS.assetLabel}, or azureml://… for a URI.`,
    );
  }
  const at = rest.indexOf('@');
  if (at !== -1) {
    const name = rest.slice(0, at);
    const label = rest.slice(at + 1);
    if (label.includes('@') || label.includes(':')) {
      parser.fail(
        'a reference takes either one @<label> or one :<version>, not both or several',
        `Write azureml:${name}@latest or azureml:${name}:<version>.`,
      );
    }
    parser.check(name, 'asset name', checkResourceName, FORMS.assetLabel);
    if (label === '')
      parser.fail("the label after '@' is empty", `Write azureml:${name}@latest (${FORMS.assetLabel}).`);
    parser.check(label, 'label', checkLabel, FORMS.assetLabel);
    return { kind: 'asset-label', name, label };
  }
  const parts = rest.split(':');
  if (parts.length > 2) {
    parser.fail(
      `it has ${parts.length - 1} ':' separators; a reference has at most one, between name and version`,
      `Write ${FORMS.assetVersion}, e.g. azureml:${parts[0] || '<name>'}:${parts[1] || '<version>'}.`,
    );
  }
  const [name = '', version] = parts;
  if (version === undefined)
    return { kind: 'name', name: parser.check(name, 'name', checkResourceName, 'azureml:<name>') };
  return parseNameAndVersion(parser, name, version, true);
}

function parseNameAndVersion(
  parser: ReferenceParser,
  name: string,
  version: string,
  prefixed: boolean,
): AzureMlReference {
  const prefix = prefixed ? 'azureml:' : '';
  if (name === '')
    parser.fail("the asset name before ':' is empty", `Write ${prefix}<name>:${version || '<version>'}.`);
  parser.check(name, 'asset name', checkResourceName, FORMS.assetVersion);
  if (version === '') {
    parser.fail(
      "the version after ':' is empty",
      `Write ${prefix}${name}:<version>, or azureml:${name}@latest for the latest version.`,
    );
  }
  if (version.toLowerCase() === 'latest') {
    parser.fail("'latest' is a label, not a version", `Write azureml:${name}@latest.`);
  }
  parser.check(version, 'version', checkVersion, FORMS.assetVersion);
  return { kind: 'asset-version', name, version, prefixed };
}

// ---------------------------------------------------------------------------------------------
// azureml://…

function parseAzureMlUri(parser: ReferenceParser, rest: string): AzureMlReference {
  if (rest.startsWith('/')) {
    parser.fail(
      "it has three slashes after 'azureml:'",
      `Write azureml://… with two (${FORMS.datastore}), or azureml:/subscriptions/… for an ARM id.`,
    );
  }
  const segments = rest.split('/');
  const head = segments[0] ?? '';
  switch (head.toLowerCase()) {
    case 'datastores':
      return parseShortDatastoreUri(parser, segments);
    case 'subscriptions':
      return parseLongDatastoreUri(parser, segments);
    case 'jobs':
      return parseJobOutputUri(parser, segments);
    case 'registries':
      return parseRegistryUri(parser, segments);
    case 'datastore':
    case 'job':
    case 'registry':
    case 'subscription':
      return parser.fail(
        `'${head}' must be plural: '${head.toLowerCase().replace(/y$/, 'ie')}s'`,
        `Write ${{ datastore: FORMS.datastore, job: FORMS.jobOutput, registry: FORMS.registry, subscription: FORMS.datastoreLong }[head.toLowerCase()]}.`,
      );
  }
  if (/\.api\.azureml\.ms$/i.test(head)) {
    parser.fail(
      'this is an MLflow tracking URI of a workspace, not a reference to data or an asset',
      `Write ${FORMS.datastore}, ${FORMS.jobOutput} or ${FORMS.registry}.`,
    );
  }
  return parser.fail(
    head === '' ? "nothing follows 'azureml://'" : `'azureml://${head}/…' is not a known form`,
    `Write ${FORMS.datastore}, ${FORMS.datastoreLong}, ${FORMS.jobOutput} or ${FORMS.registry}.`,
  );
}

function parseShortDatastoreUri(parser: ReferenceParser, segments: string[]): AzureMlReference {
  const [, datastore = '', marker, ...path] = segments;
  if (datastore === '' && segments.length === 1) {
    parser.fail('the datastore name is missing', `Write ${FORMS.datastore}.`);
  }
  parser.check(datastore, 'datastore name', checkResourceName, FORMS.datastore);
  if (marker === 'ExperimentRun' && path.length > 0 && path.every((s) => s !== '')) {
    return { kind: 'datastore', form: 'run-artifacts', datastore, path: [marker, ...path].join('/') };
  }
  return {
    kind: 'datastore',
    form: 'short',
    datastore,
    path: readPaths(parser, marker, path, FORMS.datastore, `azureml://datastores/${datastore}`),
  };
}

/** Reads `paths/<path>` at the end of a URI; `marker` is the segment where `paths` must be. */
function readPaths(
  parser: ReferenceParser,
  marker: string | undefined,
  path: string[],
  form: string,
  before: string,
): string {
  if (marker === undefined || (marker === '' && path.length === 0))
    parser.fail("the '/paths/<path>' part is missing", `Write ${before}/paths/<path> (${form}).`);
  if (marker.toLowerCase() === 'path') {
    parser.fail("'path' must be plural: 'paths'", `Write ${before}/paths/${path.join('/')}.`);
  }
  if (marker.toLowerCase() !== 'paths') {
    parser.fail(
      `the 'paths' segment is missing before '${[marker, ...path].join('/')}'`,
      `Write ${before}/paths/${[marker, ...path].join('/')}.`,
    );
  }
  return path.join('/');
}

function parseLongDatastoreUri(parser: ReferenceParser, segments: string[]): AzureMlReference {
  const form = FORMS.datastoreLong;
  let i = 1;
  const fixed = (...names: string[]) => {
    const segment = segments[i];
    if (segment === undefined || !names.some((n) => n.toLowerCase() === segment.toLowerCase())) {
      parser.fail(
        segment === undefined
          ? `it ends where '${names[0]}' should follow`
          : `segment '${segment}' is where '${names[0]}' should be`,
        `Write ${form}.`,
      );
    }
    i += 1;
  };
  const named = (what: string, rule: (v: string) => string | undefined) =>
    parser.check(segments[i++] ?? '', what, rule, form);

  const subscriptionId = named('subscription id', checkSubscriptionSegment);
  fixed('resourcegroups');
  const resourceGroup = named('resource group', checkResourceGroupName);
  if (segments[i]?.toLowerCase() === 'providers') {
    i += 1;
    fixed('Microsoft.MachineLearningServices');
  }
  fixed('workspaces');
  const workspace = named('workspace name', checkWorkspaceName);
  const next = segments[i] ?? '';
  if (next.toLowerCase() !== 'datastores') {
    parser.fail(
      next === 'datastore'
        ? "'datastore' must be plural: 'datastores'"
        : `only datastore paths have a long azureml:// form (found '${next || 'nothing'}' after the workspace)`,
      `Write ${form}; for an asset use azureml:<name>:<version> or its full ARM id.`,
    );
  }
  i += 1;
  const datastore = named('datastore name', checkResourceName);
  const before = `azureml://${segments.slice(0, i).join('/')}`;
  const path = readPaths(parser, segments[i], segments.slice(i + 1), form, before);
  return {
    kind: 'datastore',
    form: 'long',
    workspace: { subscriptionId, resourceGroup, workspace },
    datastore,
    path,
  };
}

function parseJobOutputUri(parser: ReferenceParser, segments: string[]): AzureMlReference {
  const form = FORMS.jobOutput;
  const [, job = '', outputs, output, marker, ...path] = segments;
  parser.check(job, 'job name', checkResourceName, form);
  if (outputs === undefined || outputs === '') {
    parser.fail(
      "the '/outputs/<output>' part is missing",
      `Write azureml://jobs/${job}/outputs/<output> (${form}).`,
    );
  }
  if (outputs.toLowerCase() === 'output') {
    parser.fail(
      "'output' must be plural: 'outputs'",
      `Write azureml://jobs/${job}/outputs/${output ?? '<output>'}.`,
    );
  }
  if (outputs.toLowerCase() !== 'outputs') {
    parser.fail(
      `'${outputs}' is where 'outputs' should be`,
      `Write azureml://jobs/${job}/outputs/<output> (${form}).`,
    );
  }
  if (output === undefined || output === '') {
    parser.fail(
      'the output name is empty',
      `Write azureml://jobs/${job}/outputs/<output>, e.g. .../outputs/artifacts/paths/model.`,
    );
  }
  parser.check(output, 'output name', checkResourceName, form);
  if (marker === undefined || (marker === '' && path.length === 0))
    return { kind: 'job-output', job, output };
  return {
    kind: 'job-output',
    job,
    output,
    path: readPaths(parser, marker, path, form, `azureml://jobs/${job}/outputs/${output}`),
  };
}

function parseRegistryUri(parser: ReferenceParser, segments: string[]): AzureMlReference {
  const form = FORMS.registry;
  const [, registry = '', rawType = '', name = '', selector, value, ...extra] = segments;
  parser.check(registry, 'registry name', checkResourceName, form);
  const assetType = rawType.toLowerCase();
  if (!isAssetType(assetType)) {
    const plural = `${assetType}s`;
    parser.fail(
      rawType === ''
        ? 'the asset type is missing'
        : `'${rawType}' is not a registry asset type; expected one of ${ASSET_TYPES.join(', ')}`,
      isAssetType(plural)
        ? `Write azureml://registries/${registry}/${[plural, ...segments.slice(3)].join('/')}.`
        : `Write ${form}.`,
    );
  }
  parser.check(name, 'asset name', checkResourceName, form);
  const base = `azureml://registries/${registry}/${assetType}/${name}`;
  const kind = selector?.toLowerCase();
  if (kind !== 'versions' && kind !== 'labels') {
    parser.fail(
      selector === undefined
        ? 'a registry asset needs a version or a label'
        : `'${selector}' is where 'versions' or 'labels' should be`,
      `Write ${base}/versions/<version> or ${base}/labels/latest.`,
    );
  }
  if (extra.length > 0) parser.fail(`unexpected '/${extra.join('/')}' at the end`, `Write ${form}.`);
  if (kind === 'labels') {
    const label = parser.check(value ?? '', 'label', checkLabel, `${base}/labels/<label>`);
    return { kind: 'registry-asset', registry, assetType, name, label };
  }
  if ((value ?? '').toLowerCase() === 'latest') {
    parser.fail("'latest' is a label, not a version", `Write ${base}/labels/latest.`);
  }
  const version = parser.check(value ?? '', 'version', checkVersion, `${base}/versions/<version>`);
  return { kind: 'registry-asset', registry, assetType, name, version };
}

// ---------------------------------------------------------------------------------------------
// MLflow

function parseMlflowRun(parser: ReferenceParser, rest: string): AzureMlReference {
  if (rest.startsWith('//')) {
    parser.fail("MLflow run URIs take a single slash ('runs:/')", `Write ${FORMS.run}.`);
  }
  if (!rest.startsWith('/')) parser.fail("'runs:' must be followed by '/'", `Write ${FORMS.run}.`);
  const [runId = '', ...path] = rest.slice(1).split('/');
  if (runId === '') parser.fail('the run id is missing', `Write ${FORMS.run}, e.g. runs:/<run-id>/model.`);
  parser.check(runId, 'run id', checkResourceName, FORMS.run);
  return { kind: 'mlflow-run', runId, path: path.join('/') };
}

function parseMlflowModel(parser: ReferenceParser, rest: string): AzureMlReference {
  if (!rest.startsWith('/') || rest.startsWith('//')) {
    parser.fail("MLflow model URIs take a single slash ('models:/')", `Write ${FORMS.model}.`);
  }
  const [name = '', version, ...extra] = rest.slice(1).split('/');
  if (name.includes('@')) {
    parser.fail('MLflow model aliases are not supported', `Write ${FORMS.model}.`);
  }
  parser.check(name, 'model name', checkResourceName, FORMS.model);
  if (version === undefined || version === '') {
    parser.fail('the model version is missing', `Write models:/${name}/<version>.`);
  }
  if (extra.length > 0)
    parser.fail(`unexpected '/${extra.join('/')}' after the version`, `Write ${FORMS.model}.`);
  parser.check(version, 'model version', checkVersion, FORMS.model);
  return { kind: 'mlflow-model', name, version };
}

// ---------------------------------------------------------------------------------------------
// External storage and local paths

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseExternalUrl(parser: ReferenceParser, value: string, scheme: string): AzureMlReference {
  const external = ['https', 'http', 's3', 'gs', 'file'];
  if (!external.includes(scheme)) {
    const hint =
      scheme === 'wasbs' || scheme === 'wasb' || scheme === 'abfss' || scheme === 'abfs'
        ? `Use ${FORMS.blob}, or register a datastore and use ${FORMS.datastore}.`
        : `Write an Azure ML reference (${FORMS.assetVersion}, ${FORMS.datastore}), ${FORMS.blob}, s3://<bucket>/<key>, gs://<bucket>/<key> or a local path.`;
    parser.fail(`the '${scheme}://' scheme is not supported`, hint);
  }
  if (!parser.options.allowExternal) {
    parser.fail(
      `${scheme === 'file' ? 'local paths' : `${scheme}:// URLs`} are not accepted here; an Azure ML reference is expected`,
      `Register the data first and write ${FORMS.assetVersion}, or use ${FORMS.datastore}.`,
    );
  }
  if (scheme === 'file') return parseFileUrl(parser, value);
  if (scheme === 's3' || scheme === 'gs') return parseBucketUrl(parser, value, scheme);
  return parseBlobUrl(parser, value);
}

function parseFileUrl(parser: ReferenceParser, value: string): AzureMlReference {
  if (!/^file:\/\//i.test(value)) {
    const path = value.slice('file:'.length);
    if (path === '')
      parser.fail("nothing follows 'file:'", 'Write file:<path> or just the path, e.g. ./data.');
    return { kind: 'local', path };
  }
  try {
    return { kind: 'local', path: fileURLToPath(value) };
  } catch (error) {
    return parser.fail(
      `it is not a valid file URL (${error instanceof Error ? error.message : String(error)})`,
      'Write file:///<absolute path>, or just the path.',
    );
  }
}

function parseBucketUrl(parser: ReferenceParser, value: string, scheme: 's3' | 'gs'): AzureMlReference {
  const rest = value.slice(`${scheme}://`.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  const form = `${scheme}://<bucket>/<key>`;
  if (bucket === '') parser.fail('the bucket name is missing', `Write ${form}.`);
  const maxLength = scheme === 's3' ? 63 : 222;
  const valid = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(bucket) && !(scheme === 's3' && bucket.includes('_'));
  if (!valid || bucket.length < 3 || bucket.length > maxLength) {
    parser.fail(
      `the bucket name '${bucket}' is not valid: bucket names are 3–${maxLength} lower-case letters, digits, '-' and '.'${scheme === 'gs' ? ", '_'" : ''}, starting and ending with a letter or digit`,
      `Write ${form}.`,
    );
  }
  return { kind: scheme, bucket, key };
}

function parseBlobUrl(parser: ReferenceParser, value: string): AzureMlReference {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return parser.fail('it is not a valid URL', `Write ${FORMS.blob}.`);
  }
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').slice(1);
  let account: string;
  if (LOOPBACK_HOSTS.has(host)) {
    // Azurite and other local emulators use path-style URLs: /<account>/<container>/<path>.
    account = segments.shift() ?? '';
    if (account === '')
      parser.fail(
        'a local blob URL needs the account name as its first path segment',
        `Write http://127.0.0.1:10000/<account>/<container>/<path>.`,
      );
  } else {
    const match = /^([a-z0-9]+)\.blob\.core\.[a-z0-9.-]+$/.exec(host);
    if (!match?.[1]) {
      parser.fail(
        `'${host}' is not an Azure Blob Storage host; only blob URLs are accepted`,
        `Write ${FORMS.blob}, or register the data and use ${FORMS.assetVersion}.`,
      );
    }
    if (url.protocol !== 'https:')
      parser.fail('Azure Blob Storage URLs must use https', `Write ${FORMS.blob}.`);
    account = match[1];
  }
  const [container = '', ...path] = segments;
  if (container === '') parser.fail('the container name is missing', `Write ${FORMS.blob}.`);
  if (!/^(\$root|\$web|[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/.test(container)) {
    parser.fail(
      `the container name '${container}' is not valid: 3–63 lower-case letters, digits and single hyphens`,
      `Write ${FORMS.blob}.`,
    );
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.join('/'));
  } catch {
    return parser.fail(
      'the blob path has a malformed percent-encoding',
      `Write ${FORMS.blob} with the path URL-encoded.`,
    );
  }
  return { kind: 'blob', url: value, account, container, path: decoded };
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Inverse of parseAzureMlReference: `parse(format(ref))` gives `ref` back. */
export function formatAzureMlReference(ref: AzureMlReference): string {
  switch (ref.kind) {
    case 'asset-version':
      return `${ref.prefixed ? 'azureml:' : ''}${ref.name}:${ref.version}`;
    case 'asset-label':
      return `azureml:${ref.name}@${ref.label}`;
    case 'name':
      return `azureml:${ref.name}`;
    case 'arm':
      return `${ref.prefixed ? 'azureml:' : ''}${formatArmId(ref.id)}`;
    case 'datastore':
      return formatDatastoreUri(ref);
    case 'job-output': {
      const base = `azureml://jobs/${ref.job}/outputs/${ref.output}`;
      return ref.path === undefined ? base : `${base}/paths/${ref.path}`;
    }
    case 'registry-asset': {
      const base = `azureml://registries/${ref.registry}/${ref.assetType}/${ref.name}`;
      return 'label' in ref ? `${base}/labels/${ref.label}` : `${base}/versions/${ref.version}`;
    }
    case 'mlflow-run':
      return ref.path === '' ? `runs:/${ref.runId}` : `runs:/${ref.runId}/${ref.path}`;
    case 'mlflow-model':
      return `models:/${ref.name}/${ref.version}`;
    case 'blob':
      return ref.url;
    case 's3':
      return `s3://${ref.bucket}/${ref.key}`;
    case 'gs':
      return `gs://${ref.bucket}/${ref.key}`;
    case 'local':
      return ref.path;
  }
}

function formatDatastoreUri(ref: DatastoreReference): string {
  switch (ref.form) {
    case 'short':
      return `azureml://datastores/${ref.datastore}/paths/${ref.path}`;
    case 'run-artifacts':
      return `azureml://datastores/${ref.datastore}/${ref.path}`;
    case 'long': {
      const { subscriptionId, resourceGroup, workspace } = ref.workspace;
      return `azureml://subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspace}/datastores/${ref.datastore}/paths/${ref.path}`;
    }
  }
}
