// Command-line options of `aml-emulator`, parsed into the options of startEmulator (pure).
import { parseArgs } from 'node:util';

export const USAGE = `Usage: aml-emulator --state-dir DIR [options]

Local Azure Machine Learning workspace emulator (ARM, Entra-like token endpoint, GitHub-like OIDC
issuer, Azurite blob storage) over HTTPS on loopback. Prints one JSON line when ready.

Options:
  --state-dir DIR            where state, keys, the CA certificate and Azurite data live (required)
  --port N                   HTTPS port (default 0: any free port)
  --host HOST                loopback address to listen on: 127.0.0.1 (default), ::1 or localhost
  --token-lifetime D         access token lifetime (default 3600s)
  --id-token-lifetime D      OIDC ID token lifetime (default 300s)
  --subject PATTERN          federated credential subject; '*' matches anything (default repo:*)
  --help                     show this help

Durations: 2s, 5m, 1h, 250ms, or bare seconds.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliOptions {
  stateDir: string;
  port: number;
  host: string;
  tokenLifetimeInMs?: number;
  idTokenLifetimeInMs?: number;
  federatedSubject?: string;
}

export type CliCommand = { kind: 'help' } | { kind: 'start'; options: CliOptions };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `2s`, `5m`, `1h`, `250ms` or bare seconds → milliseconds (positive). */
export function parseDurationInMs(text: string, what = 'duration'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${what} '${text}' is not a duration (examples: 2s, 5m, 300).`);
  const value = Number(match[1]) * (UNITS[match[2] ?? 's'] as number);
  const ms = Math.round(value);
  if (ms <= 0) throw new UsageError(`${what} '${text}' must be greater than zero.`);
  return ms;
}

export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

export function parseCliArgs(argv: string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'state-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'token-lifetime': { type: 'string' },
        'id-token-lifetime': { type: 'string' },
        subject: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };

  const stateDir = text('state-dir');
  if (!stateDir) throw new UsageError('--state-dir is required.');
  const portText = text('port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535)
    throw new UsageError(`--port '${portText}' is not a port (0-65535).`);
  const host = text('host') ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new UsageError(
      `--host '${host}' is not a loopback address; use one of ${LOOPBACK_HOSTS.join(', ')}.`,
    );
  }
  const options: CliOptions = { stateDir, port, host };
  const tokenLifetime = text('token-lifetime');
  if (tokenLifetime !== undefined)
    options.tokenLifetimeInMs = parseDurationInMs(tokenLifetime, '--token-lifetime');
  const idTokenLifetime = text('id-token-lifetime');
  if (idTokenLifetime !== undefined) {
    options.idTokenLifetimeInMs = parseDurationInMs(idTokenLifetime, '--id-token-lifetime');
  }
  const subject = text('subject');
  if (subject !== undefined) {
    if (subject.length === 0) throw new UsageError('--subject must not be empty.');
    options.federatedSubject = subject;
  }
  return { kind: 'start', options };
}
