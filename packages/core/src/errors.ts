// Two kinds of failure, reported differently: a ConfigurationError means the user must change
// something (an input, a file); an AzureRequestError means a service call failed.

/** Where a configuration problem is: an action input, and/or a file with a line (1-based). */
export interface ConfigurationLocation {
  input?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface ConfigurationErrorOptions extends ConfigurationLocation {
  /** What the user should do, phrased as an instruction. */
  fix: string;
  cause?: unknown;
}

export function formatLocation(location: ConfigurationLocation): string {
  const parts: string[] = [];
  if (location.input) parts.push(`input '${location.input}'`);
  if (location.file) {
    let where = location.file;
    if (location.line !== undefined) where += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) where += `:${location.column}`;
    parts.push(where);
  }
  return parts.join(', ');
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly input: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly fix: string;
  /** The problem alone, without location or fix. */
  readonly problem: string;

  constructor(problem: string, options: ConfigurationErrorOptions) {
    const where = formatLocation(options);
    super(`${where ? `${where}: ` : ''}${problem}\nFix: ${options.fix}`, { cause: options.cause });
    this.problem = problem;
    this.input = options.input;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.fix = options.fix;
  }
}

export interface AzureRequestErrorDetails {
  method: string;
  /** URL without query secrets (callers pass a redacted URL). */
  url: string;
  status: number;
  /** ARM `error.code`, e.g. `ResourceNotFound`. */
  code?: string | undefined;
  /** ARM `error.message`, as the service wrote it. */
  serviceMessage?: string | undefined;
  /** `x-ms-request-id` (or `x-request-id`), for support tickets. */
  requestId?: string | undefined;
  /** `x-ms-correlation-request-id`. */
  correlationId?: string | undefined;
  cause?: unknown;
}

export class AzureRequestError extends Error {
  override readonly name = 'AzureRequestError';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly serviceMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly correlationId: string | undefined;

  constructor(details: AzureRequestErrorDetails) {
    const code = details.code ? ` ${details.code}` : '';
    const text = details.serviceMessage ? `: ${details.serviceMessage}` : '';
    const id = details.requestId ? ` (request id ${details.requestId})` : '';
    super(`${details.method} ${details.url} failed with ${details.status}${code}${text}${id}`, {
      cause: details.cause,
    });
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.code = details.code;
    this.serviceMessage = details.serviceMessage;
    this.requestId = details.requestId;
    this.correlationId = details.correlationId;
  }

  /** True for failures worth retrying later: throttling and server-side errors. */
  get transient(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError;
}
