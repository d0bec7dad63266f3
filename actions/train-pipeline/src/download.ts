// Downloading job outputs after completion: each named output into <download-path>/<output>.
import path from 'node:path';
import { ConfigurationError, DatastoreBlobs, type WorkspaceSession } from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';

export interface DownloadOptions {
  /** Output names, or ['all']. */
  wanted: string[];
  into: string;
  logger: Logger;
  abortSignal: AbortSignal;
}

export function selectOutputs(outputs: Record<string, string>, wanted: string[]): string[] {
  const names = Object.keys(outputs).sort();
  if (wanted.length === 1 && wanted[0]?.toLowerCase() === 'all') return names;
  for (const name of wanted) {
    if (!(name in outputs)) {
      throw new ConfigurationError(`the job has no output '${name}'`, {
        input: 'download-outputs',
        fix:
          names.length > 0
            ? `Use one of ${names.join(', ')}, or 'all'.`
            : 'The job declares no outputs; remove download-outputs.',
      });
    }
  }
  return wanted;
}

export async function downloadOutputs(
  session: WorkspaceSession,
  outputs: Record<string, string>,
  options: DownloadOptions,
): Promise<{ output: string; path: string; files: number; bytes: number }[]> {
  const blobs = new DatastoreBlobs(session.datastores);
  const results = [];
  for (const name of selectOutputs(outputs, options.wanted)) {
    const target = path.join(options.into, name.replace(/[^\w.-]+/g, '_'));
    const uri = outputs[name] ?? '';
    const { files, bytes } = await blobs.download(uri, target, { abortSignal: options.abortSignal });
    options.logger.info(`Downloaded output ${name} (${files.length} files, ${bytes} bytes) to ${target}.`);
    results.push({ output: name, path: target, files: files.length, bytes });
  }
  return results;
}
