// Placeholder replaced once the object-store layer lands.
import { ConfigurationError, type ExternalLister, type ExternalOpener } from '@aml-actions/core';
import type { ExternalStorageInputs } from './inputs';

type Env = Readonly<Record<string, string | undefined>>;

export function externalStorage(
  _inputs: ExternalStorageInputs,
  _env: Env,
): { list: ExternalLister; open: ExternalOpener } {
  const fail = (): never => {
    throw new ConfigurationError('S3 and GCS sources are not supported yet', {
      input: 'path',
      fix: 'Copy the model into a datastore first.',
    });
  };
  return { list: async () => fail(), open: async () => fail() };
}
