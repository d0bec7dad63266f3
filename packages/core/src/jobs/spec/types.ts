// The contract between the YAML → REST translation and the code that talks to the workspace.

/** Where in a YAML file a value was written (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A registered asset: `azureml:name:version`, `azureml:name@label`, or a registry asset. */
export interface AssetRef {
  name: string;
  version?: string;
  label?: string;
  registry?: string;
}

/** An inline environment (`image`, `conda_file`, `build`) to be registered as an anonymous version. */
export interface AnonymousEnvironmentSpec {
  image?: string;
  /** The conda file's text. */
  condaFile?: string;
  /** `path`: absolute local directory or URL. */
  build?: { path: string; dockerfilePath?: string };
  osType?: 'Linux' | 'Windows';
}

/**
 * Everything the translation needs from the workspace. Implemented by the action; each method
 * throws a ConfigurationError (with near matches) itself when the reference does not exist.
 */
export interface ReferenceResolver {
  /** Compute name → compute ARM id. */
  compute(name: string, at: SourceLocation): Promise<string>;
  /** Registered environment (label `latest` resolved) → environment version ARM id. */
  environment(ref: AssetRef, at: SourceLocation): Promise<string>;
  anonymousEnvironment(spec: AnonymousEnvironmentSpec, at: SourceLocation): Promise<string>;
  /** Registered or registry component → component version ARM id. */
  component(ref: AssetRef, at: SourceLocation): Promise<string>;
  /** A component spec in CLI YAML form (code and environment already ARM ids) → component version ARM id. */
  anonymousComponent(componentSpec: Record<string, unknown>, at: SourceLocation): Promise<string>;
  /** Absolute local path → code version ARM id (uploading when needed). */
  code(localPath: string, at: SourceLocation): Promise<string>;
  /** Absolute local path → `azureml://datastores/...` URI of its upload. */
  localInput(localPath: string, at: SourceLocation): Promise<string>;
  /** Data asset → the uri to send. */
  data(ref: AssetRef, at: SourceLocation): Promise<string>;
}

/** One `set` override: `a.b.c=value`. */
export interface JobOverride {
  path: string[];
  value: unknown;
  /** The line as written. */
  text: string;
  /** 1-based line within the `set` input. */
  line: number;
}

export interface TranslateOptions {
  resolver: ReferenceResolver;
  overrides?: JobOverride[];
  /** Action inputs; each wins over the YAML value. */
  experimentName?: string;
  displayName?: string;
  description?: string;
  /** Merged over the YAML tags (these win). */
  tags?: Record<string, string>;
}

export interface TranslatedJob {
  jobType: 'Command' | 'Pipeline' | 'Sweep';
  /** The REST `properties` of the job PUT (api-version 2025-12-01). */
  properties: Record<string, unknown>;
  /** The YAML's `name`, when it has one. */
  yamlName?: string;
  /** The job's own output names. */
  outputNames: string[];
  /** Pipeline step names (empty for other jobs). */
  stepNames: string[];
  /** The YAML files read: the job file, then component files. */
  files: string[];
}
