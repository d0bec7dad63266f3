// Streams the user logs of runs as they grow. Each pass asks run history for a run's log files
// (fresh read-only SAS URLs), then reads each file from where the last pass stopped with
// `Range: bytes=<offset>-`: 206 brings the new bytes, 416 says there are none, 404 says the file
// is not uploaded yet, and a 200 (a server that ignores Range) is cut at the offset. Complete
// lines go to `onLines`; a partial last line waits for its newline (or flush()).
// Storage gets its own pipeline without the bearer policy: the SAS is the credential, and the
// ARM token must never reach a storage account. Plain http is allowed to loopback only (Azurite,
// as the local emulator uses it). Errors never carry the SAS: their URLs are redacted.

import type { HttpClient, PipelineResponse, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { azureRequestErrorFromResponse, redactUrl } from '../arm/errors';
import { USER_AGENT_PREFIX } from '../arm/rest';
import { type ConnectionOptions, type Env, tlsSettingsFor } from '../auth/connection';
import { isTerminalJobStatus } from './job-client';
import type { RunDetails } from './run-history';

export interface LogSource {
  runId: string;
  /** The pipeline step or sweep trial the run is, for grouping. */
  step?: string | undefined;
}

/** What the streamer needs of RunHistoryClient. */
export interface RunDetailsReader {
  details(runId: string, options?: { abortSignal?: AbortSignal }): Promise<RunDetails>;
}

export interface LogStreamerOptions extends ConnectionOptions {
  history: RunDetailsReader;
  /** Complete lines (without line ends) newly read from one file of one run, in order. */
  onLines: (source: LogSource, file: string, lines: string[]) => void;
  /** A run's details or a file could not be read this pass; the next pass tries again. */
  onError?: ((error: unknown, source: LogSource, file: string | undefined) => void) | undefined;
  /** Which log files to stream; default those under `user_logs/`. */
  includeFile?: ((file: string) => boolean) | undefined;
  /** Lines remembered per run for tail(); default 200. */
  tailLines?: number | undefined;
  retryOptions?: PipelineRetryOptions | undefined;
  /** Transport (tests); default core-rest-pipeline's node http client. */
  httpClient?: HttpClient | undefined;
  env?: Env | undefined;
}

interface FileState {
  /** Bytes of the blob consumed so far (emitted lines plus `pending`). */
  offset: number;
  /** The bytes of an unfinished last line. */
  pending: Buffer;
}

interface SourceState {
  source: LogSource;
  files: Map<string, FileState>;
  /** Complete lines, newest last, at most `tailLines`. */
  tail: string[];
  finished: boolean;
  /** The run's status in the last details read. */
  status?: string;
}

export const DEFAULT_TAIL_LINES = 200;

const NEWLINE = 0x0a;

export class LogStreamer {
  private readonly sources = new Map<string, SourceState>();
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly includeFile: (file: string) => boolean;
  private readonly tailLines: number;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogStreamerOptions) {
    const tlsOptions = tlsSettingsFor(options.caCertificates, options.env ?? process.env);
    this.pipeline = createPipelineFromOptions({
      ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
      ...(tlsOptions ? { tlsOptions } : {}),
      userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
    });
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
    this.includeFile = options.includeFile ?? ((file) => file.startsWith('user_logs/'));
    this.tailLines = options.tailLines ?? DEFAULT_TAIL_LINES;
  }

  /** Starts streaming a run's logs (a pipeline step as it appears, say); false when already known. */
  addSource(source: LogSource): boolean {
    if (this.sources.has(source.runId)) return false;
    this.sources.set(source.runId, { source: { ...source }, files: new Map(), tail: [], finished: false });
    return true;
  }

  /** The runs being streamed, in the order they were added. */
  listSources(): LogSource[] {
    return [...this.sources.values()].map((state) => ({ ...state.source }));
  }

  /** The run's status as of the last pass (run history answers it with the log URLs). */
  statusOf(runId: string): string | undefined {
    return this.sources.get(runId)?.status;
  }

  /** True once the run ended and its logs were read to the end. */
  isFinished(runId: string): boolean {
    return this.sources.get(runId)?.finished ?? false;
  }

  /**
   * One pass over every unfinished run: reads what each log file gained since the last pass.
   * Calls overlap safely (they run one after the other). Rejects only when aborted.
   */
  poll(options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    const pass = this.running.then(() => this.pollOnce(options.abortSignal));
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Emits the partial last line of every file, as if each ended with a newline. */
  flush(): void {
    for (const state of this.sources.values()) {
      for (const [file, fileState] of state.files) {
        if (fileState.pending.length === 0) continue;
        const line = stripCr(fileState.pending.toString('utf8'));
        fileState.pending = Buffer.alloc(0);
        this.emit(state, file, [line]);
      }
    }
  }

  /** The last `n` lines read of a run (its unfinished last lines included), for failure messages. */
  tail(runId: string, n: number): string[] {
    const state = this.sources.get(runId);
    if (!state || n <= 0) return [];
    const partial = [...state.files.values()]
      .filter((file) => file.pending.length > 0)
      .map((file) => stripCr(file.pending.toString('utf8')));
    return [...state.tail, ...partial].slice(-n);
  }

  private async pollOnce(abortSignal: AbortSignal | undefined): Promise<void> {
    for (const state of this.sources.values()) {
      if (state.finished) continue;
      abortSignal?.throwIfAborted();
      let details: RunDetails;
      try {
        details = await this.options.history.details(state.source.runId, abortSignal ? { abortSignal } : {});
      } catch (error) {
        abortSignal?.throwIfAborted();
        this.options.onError?.(error, state.source, undefined);
        continue;
      }
      state.status = details.status;
      let newBytes = 0;
      let failed = false;
      for (const [file, url] of orderedLogFiles(details.logFiles, this.includeFile)) {
        try {
          newBytes += await this.readFile(state, file, url, abortSignal);
        } catch (error) {
          abortSignal?.throwIfAborted();
          failed = true;
          this.options.onError?.(withoutSas(error, url), state.source, file);
        }
      }
      // Azure ML (and the emulator) upload the final log before the run turns terminal; a
      // terminal pass that found nothing new means the logs are complete.
      if (isTerminalJobStatus(details.status) && newBytes === 0 && !failed) state.finished = true;
    }
  }

  /** Reads the new bytes of one file; returns how many there were. */
  private async readFile(
    state: SourceState,
    file: string,
    url: string,
    abortSignal: AbortSignal | undefined,
  ): Promise<number> {
    let fileState = state.files.get(file);
    if (!fileState) {
      fileState = { offset: 0, pending: Buffer.alloc(0) };
      state.files.set(file, fileState);
    }
    const response = await this.get(url, fileState.offset, abortSignal);
    let chunk: Buffer;
    if (response.status === 206) {
      const start = contentRangeStart(response.headers.get('content-range')) ?? fileState.offset;
      const body = await readBody(response);
      // A range starting before the offset repeats bytes already read.
      chunk = body.subarray(Math.max(0, fileState.offset - start));
      fileState.offset = Math.max(fileState.offset, start) + chunk.length;
    } else if (response.status === 200) {
      const body = await readBody(response);
      if (body.length < fileState.offset) restart(fileState);
      chunk = body.subarray(fileState.offset);
      fileState.offset = body.length;
    } else if (response.status === 416) {
      // Nothing new. A blob now shorter than the offset was replaced: read it afresh next pass.
      const size = contentRangeSize(response.headers.get('content-range'));
      if (size !== undefined && size < fileState.offset) restart(fileState);
      return 0;
    } else if (response.status === 404) {
      return 0; // not uploaded yet
    } else {
      throw azureRequestErrorFromResponse('GET', url, response); // redacts the SAS
    }
    if (chunk.length === 0) return 0;
    const lines = splitLines(fileState, chunk);
    if (lines.length > 0) this.emit(state, file, lines);
    return chunk.length;
  }

  private get(url: string, offset: number, abortSignal: AbortSignal | undefined): Promise<PipelineResponse> {
    const request = createPipelineRequest({
      url,
      method: 'GET',
      headers: createHttpHeaders({ Range: `bytes=${offset}-` }),
      // Bytes, not text: a read may end inside a multi-byte character.
      streamResponseStatusCodes: new Set([200, 206]),
      allowInsecureConnection: isLoopback(url),
      ...(abortSignal ? { abortSignal } : {}),
    });
    return this.pipeline.sendRequest(this.httpClient, request);
  }

  private emit(state: SourceState, file: string, lines: string[]): void {
    state.tail.push(...lines);
    if (state.tail.length > this.tailLines) state.tail.splice(0, state.tail.length - this.tailLines);
    this.options.onLines({ ...state.source }, file, lines);
  }
}

/** The files to stream, `std_log.txt` first, then by name. */
export function orderedLogFiles(
  logFiles: Record<string, string>,
  include: (file: string) => boolean,
): [string, string][] {
  const isStd = (file: string) => Number(/(^|\/)std_log\.txt$/.test(file));
  return Object.entries(logFiles)
    .filter(([file]) => include(file))
    .sort(([a], [b]) => isStd(b) - isStd(a) || a.localeCompare(b));
}

/** Complete lines of `pending + chunk`; the unfinished rest stays pending. */
function splitLines(fileState: FileState, chunk: Buffer): string[] {
  const data = fileState.pending.length > 0 ? Buffer.concat([fileState.pending, chunk]) : chunk;
  const lines: string[] = [];
  let start = 0;
  for (let index = data.indexOf(NEWLINE); index >= 0; index = data.indexOf(NEWLINE, start)) {
    lines.push(stripCr(data.subarray(start, index).toString('utf8')));
    start = index + 1;
  }
  // Copied: the rest must not pin the whole response buffer.
  fileState.pending = Buffer.from(data.subarray(start));
  return lines;
}

function restart(fileState: FileState): void {
  fileState.offset = 0;
  fileState.pending = Buffer.alloc(0);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The error, or a copy whose message has the SAS URL's secrets replaced (network errors quote the URL). */
function withoutSas(error: unknown, url: string): unknown {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  let message = error.message.split(url).join(redactUrl(url));
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const value of new URLSearchParams(query).values()) {
    if (value.length < 8) continue; // versions, permissions: no secret, and too common to replace
    for (const form of [value, encodeURIComponent(value)]) message = message.split(form).join('REDACTED');
  }
  if (message === error.message) return error;
  // A fresh error without `cause`: the original holds the URL in its request.
  const clean = new Error(message);
  clean.name = error.name;
  return clean;
}

/** `bytes 100-199/500` → 100. */
function contentRangeStart(header: string | undefined): number | undefined {
  const match = /^\s*bytes\s+(\d+)-\d+\/(\d+|\*)\s*$/i.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

// `bytes */500` (or `bytes 0-9/500`) → 500.
function contentRangeSize(header: string | undefined): number | undefined {
  const match = /\/(\d+)\s*$/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

async function readBody(response: PipelineResponse): Promise<Buffer> {
  const stream = response.readableStreamBody;
  if (!stream) return Buffer.from(response.bodyAsText ?? '', 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
