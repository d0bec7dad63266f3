// The model types Azure ML registers, and the folder layout each one needs: an MLflow model has
// its `MLmodel` file at the root; a Triton model is a model repository (`<model>/config.pbtxt`
// beside numbered version folders). Checked before anything is registered.

import { ConfigurationError } from '../errors';

export const MODEL_TYPES = ['mlflow_model', 'custom_model', 'triton_model'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export interface LayoutCheckOptions {
  /** Where the files are, for the message (a path or URI). */
  location: string;
  input?: string | undefined;
}

/**
 * Throws a ConfigurationError when `relativePaths` (posix, relative to the model's root) do not
 * form a model of `type`. A single-file model is given as its bare file name.
 */
export function checkModelLayout(
  type: ModelType,
  relativePaths: readonly string[],
  options: LayoutCheckOptions,
): void {
  if (relativePaths.length === 0) {
    throw new ConfigurationError(`nothing is stored at '${options.location}'`, {
      input: options.input,
      fix: 'Point at a folder or file that holds the model files.',
    });
  }
  if (type === 'mlflow_model' && !relativePaths.includes('MLmodel')) {
    const depth = (p: string) => p.split('/').length;
    const nested = relativePaths.filter((p) => p.endsWith('/MLmodel')).sort((a, b) => depth(a) - depth(b))[0];
    throw new ConfigurationError(
      `'${options.location}' is not an MLflow model: it has no MLmodel file at its root`,
      {
        input: options.input,
        fix: nested
          ? `The MLmodel file is at '${nested}': point at '${nested.slice(0, -'/MLmodel'.length)}' instead.`
          : 'Save the model with mlflow.<flavor>.save_model (it writes MLmodel), or register it with type: custom_model.',
      },
    );
  }
  if (type === 'triton_model') {
    const configs = relativePaths.filter((p) => /^[^/]+\/config\.pbtxt$/.test(p));
    const models = configs.map((p) => p.split('/')[0] as string);
    // Triton refuses to load a repository in which any model has no numbered version folder.
    const unversioned = models.filter(
      (model) => !relativePaths.some((p) => new RegExp(`^${escapeRegExp(model)}/\\d+/`).test(p)),
    );
    if (models.length === 0 || unversioned.length > 0) {
      throw new ConfigurationError(`'${options.location}' is not a Triton model repository`, {
        input: options.input,
        fix:
          unversioned.length > 0
            ? `Model '${unversioned[0]}' has config.pbtxt but no numbered version folder (${unversioned[0]}/1/...).`
            : 'A Triton model repository holds <model>/config.pbtxt and <model>/<version>/<model file>; point at its root.',
      });
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
