// From job YAML to the job PUT: translation with workspace references resolved (code uploaded
// once per content hash, anonymous environments/components registered), or in a dry run the
// same translation with every write recorded instead of sent.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  API_VERSIONS,
  armRequestUrl,
  DatastoreBlobs,
  jobArmId,
  type PlannedRequest,
  type TranslateOptions,
  translateJobYaml,
  WorkspaceReferences,
  type WorkspaceSession,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import type { TrainResult } from './result';

export interface SubmissionOptions {
  dryRun: boolean;
  logger: Logger;
  concurrency?: number | undefined;
  abortSignal: AbortSignal;
}

export interface Submission {
  jobType: 'Command' | 'Pipeline' | 'Sweep';
  /** The REST `properties` of the job PUT. */
  properties: Record<string, unknown>;
  /** Dry run: every write that would be sent, the job PUT last. Otherwise empty. */
  requests: PlannedRequest[];
  /** The code folders, summed: uploaded bytes and whether every one was reused. */
  code?: TrainResult['code'];
}

export async function prepareSubmission(
  session: WorkspaceSession,
  jobFile: string,
  name: string,
  translateOptions: Omit<TranslateOptions, 'resolver'>,
  options: SubmissionOptions,
): Promise<Submission> {
  const references = new WorkspaceReferences(
    session.clients.rest,
    session.workspace,
    new DatastoreBlobs(session.datastores, { workspace: session.workspace }),
    {
      dryRun: true,
      logPlan: options.dryRun,
      log: (message) => options.logger.info(message),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      abortSignal: options.abortSignal,
    },
  );
  // Plan pass: every reference checked with reads only, so bad input fails with nothing written.
  let translated = await translateJobYaml(jobFile, { ...translateOptions, resolver: references });
  if (!options.dryRun) {
    references.apply();
    translated = await translateJobYaml(jobFile, { ...translateOptions, resolver: references });
  }
  const requests = options.dryRun
    ? [
        ...references.planned,
        {
          method: 'PUT',
          url: armRequestUrl(session.clients.rest, jobArmId(session.workspace, name), API_VERSIONS.jobs),
          body: { properties: translated.properties },
        },
      ]
    : [];
  const uploads = references.codeUploads;
  const first = uploads[0];
  return {
    jobType: translated.jobType,
    properties: translated.properties,
    requests,
    ...(first
      ? {
          code: {
            armId: first.armId,
            uploadedBytes: uploads.reduce((sum, upload) => sum + upload.uploadedBytes, 0),
            reused: uploads.every((upload) => upload.reused),
          },
        }
      : {}),
  };
}

/** Writes the dry run's requests as JSON under RUNNER_TEMP; returns the file's absolute path. */
export async function writeRequestFile(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  name: string,
  requests: readonly PlannedRequest[],
): Promise<string> {
  const directory = path.resolve(cwd, env.RUNNER_TEMP || os.tmpdir(), 'train-pipeline');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${name.replace(/[^\w.-]+/g, '_')}.requests.json`);
  await writeFile(file, `${JSON.stringify(requests, null, 2)}\n`);
  return file;
}
