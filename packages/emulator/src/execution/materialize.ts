// Job inputs and outputs as local paths: inputs downloaded from blob storage (literals stay
// values, `Direct` inputs stay URIs), outputs as empty folders uploaded after the run (§4).
import { existsSync, mkdirSync } from 'node:fs';
import path, { posix } from 'node:path';
import type { ExecutionContext } from './context';
import { DataUriError, resolveDataUri } from './data-uris';

type Json = Record<string, unknown>;

export interface MaterializedOutput {
  name: string;
  /** The path the command sees. */
  localPath: string;
  /** The folder uploaded after the run. */
  folder: string;
  uri: string;
  type: string;
}

const inputType = (input: Json): string => String(input.jobInputType ?? input.job_input_type ?? 'literal');

/** Input name → local path or literal value. Throws DataUriError when an input names no data. */
export async function materializeInputs(
  exec: ExecutionContext,
  inputs: Json,
  folder: string,
  abortSignal: AbortSignal,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, raw] of Object.entries(inputs)) {
    const input = (raw ?? {}) as Json;
    const type = inputType(input);
    if (type === 'literal') {
      if (input.value !== undefined && input.value !== null) values[name] = String(input.value);
      continue;
    }
    const uri = input.uri;
    if (typeof uri !== 'string') throw new DataUriError(`Input '${name}' (${type}) has no uri.`);
    if (input.mode === 'Direct') {
      values[name] = uri;
      continue;
    }
    const location = resolveDataUri(exec.ctx, uri);
    const target = path.join(folder, name);
    mkdirSync(target, { recursive: true });
    const trimmed = location.path.replace(/\/+$/, '');
    const isFile =
      !location.path.endsWith('/') &&
      trimmed !== '' &&
      (await exec.blobs.exists({ ...location, path: trimmed }, abortSignal));
    if (isFile) {
      const file = path.join(target, posix.basename(trimmed));
      await exec.blobs.downloadFile({ ...location, path: trimmed }, file, abortSignal);
      values[name] = file;
      continue;
    }
    if (type === 'uri_file') {
      throw new DataUriError(`Input '${name}' is a uri_file, but no blob exists at '${uri}'.`);
    }
    const files = await exec.blobs.downloadFolder(location, target, abortSignal);
    if (files.length === 0) throw new DataUriError(`Input '${name}': nothing is stored at '${uri}'.`);
    values[name] = target;
  }
  return values;
}

/** Empty local folders for the outputs; a uri_file output is one file inside its folder. */
export function prepareOutputs(outputs: Json, folder: string): MaterializedOutput[] {
  return Object.entries(outputs).flatMap(([name, raw]) => {
    const output = (raw ?? {}) as Json;
    const uri = output.uri;
    if (typeof uri !== 'string') return [];
    const type = String(output.jobOutputType ?? output.job_output_type ?? 'uri_folder');
    const outputFolder = path.join(folder, name);
    mkdirSync(outputFolder, { recursive: true });
    const fileName = uri.endsWith('/') ? name : posix.basename(uri);
    const localPath = type === 'uri_file' ? path.join(outputFolder, fileName) : outputFolder;
    return [{ name, localPath, folder: outputFolder, uri, type }];
  });
}

/** Uploads each output folder to its uri; returns how many files went up. */
export async function uploadOutputs(
  exec: ExecutionContext,
  outputs: MaterializedOutput[],
  abortSignal?: AbortSignal,
): Promise<number> {
  let count = 0;
  for (const output of outputs) {
    const location = resolveDataUri(exec.ctx, output.uri);
    if (output.type === 'uri_file' && !output.uri.endsWith('/')) {
      // The uri names the file itself.
      if (existsSync(output.localPath)) {
        await exec.blobs.uploadFile(location, output.localPath, abortSignal);
        count += 1;
      }
      continue;
    }
    count += (await exec.blobs.uploadFolder(output.folder, location, abortSignal)).length;
  }
  return count;
}
