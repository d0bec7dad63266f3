import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { checkModelLayout, MODEL_TYPES, type ModelType } from '../../src/models/model-types';

const options = { location: 'azureml://jobs/train-42/outputs/model', input: 'path' };

function thrown(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('checkModelLayout accepts', () => {
  const valid: { name: string; type: ModelType; paths: string[] }[] = [
    {
      name: 'an MLflow model with MLmodel at its root',
      type: 'mlflow_model',
      paths: ['MLmodel', 'conda.yaml', 'model.pkl', 'python_env.yaml'],
    },
    { name: 'a custom model folder', type: 'custom_model', paths: ['model.pkl', 'sub/encoder.json'] },
    { name: 'a custom single-file model', type: 'custom_model', paths: ['model.onnx'] },
    {
      name: 'a custom model that happens to hold a nested MLmodel',
      type: 'custom_model',
      paths: ['mlflow/MLmodel', 'mlflow/model.pkl'],
    },
    {
      name: 'a Triton model repository',
      type: 'triton_model',
      paths: ['densenet/config.pbtxt', 'densenet/1/model.onnx', 'densenet/densenet_labels.txt'],
    },
    {
      name: 'a Triton repository with several models',
      type: 'triton_model',
      paths: ['a/config.pbtxt', 'a/1/model.plan', 'b/config.pbtxt', 'b/3/model.onnx'],
    },
    {
      name: 'a Triton model whose name has regex characters',
      type: 'triton_model',
      paths: ['bert.v2+q/config.pbtxt', 'bert.v2+q/12/model.pt'],
    },
  ];
  it.each(valid)('$name', ({ type, paths }) => {
    expect(() => checkModelLayout(type, paths, options)).not.toThrow();
  });
});

describe('checkModelLayout rejects', () => {
  const invalid: { name: string; type: ModelType; paths: string[]; problem: string; fix: RegExp }[] = [
    {
      name: 'an MLflow model without MLmodel',
      type: 'mlflow_model',
      paths: ['model.pkl', 'requirements.txt'],
      problem: `'${options.location}' is not an MLflow model: it has no MLmodel file at its root`,
      fix: /mlflow\.<flavor>\.save_model.*type: custom_model/,
    },
    {
      name: 'an MLflow model one folder down',
      type: 'mlflow_model',
      paths: ['outputs/model/MLmodel', 'outputs/model/model.pkl', 'outputs/metrics.json'],
      problem: `'${options.location}' is not an MLflow model: it has no MLmodel file at its root`,
      fix: /^The MLmodel file is at 'outputs\/model\/MLmodel': point at 'outputs\/model' instead\.$/,
    },
    {
      name: 'a file named like MLmodel but not it',
      type: 'mlflow_model',
      paths: ['MLmodel.yaml', 'notMLmodel'],
      problem: `'${options.location}' is not an MLflow model: it has no MLmodel file at its root`,
      fix: /save_model/,
    },
    {
      name: 'a Triton config without a version folder',
      type: 'triton_model',
      paths: ['densenet/config.pbtxt', 'densenet/model.onnx'],
      problem: `'${options.location}' is not a Triton model repository`,
      fix: /Model 'densenet' has config\.pbtxt but no numbered version folder \(densenet\/1\/\.\.\.\)/,
    },
    {
      name: 'a Triton model folder given instead of the repository root',
      type: 'triton_model',
      paths: ['config.pbtxt', '1/model.onnx'],
      problem: `'${options.location}' is not a Triton model repository`,
      fix: /<model>\/config\.pbtxt.*point at its root/,
    },
    {
      name: 'a Triton repository nested one level too deep',
      type: 'triton_model',
      paths: ['models/densenet/config.pbtxt', 'models/densenet/1/model.onnx'],
      problem: `'${options.location}' is not a Triton model repository`,
      fix: /point at its root/,
    },
    {
      name: 'a version folder that is not numbered',
      type: 'triton_model',
      paths: ['densenet/config.pbtxt', 'densenet/v1/model.onnx'],
      problem: `'${options.location}' is not a Triton model repository`,
      fix: /no numbered version folder/,
    },
  ];
  invalid.push(
    {
      name: 'a Triton repository in which one model has no version folder',
      type: 'triton_model',
      paths: ['a/config.pbtxt', 'a/1/model.plan', 'b/config.pbtxt', 'b/labels.txt'],
      problem: `'${options.location}' is not a Triton model repository`,
      fix: /Model 'b' has config\.pbtxt but no numbered version folder/,
    },
    {
      name: 'an MLflow model nested twice (the shallower MLmodel is suggested)',
      type: 'mlflow_model',
      paths: ['a/b/c/MLmodel', 'model/MLmodel'],
      problem: `'${options.location}' is not an MLflow model: it has no MLmodel file at its root`,
      fix: /point at 'model' instead/,
    },
  );
  it.each(invalid)('$name', ({ type, paths, problem, fix }) => {
    const error = thrown(() => checkModelLayout(type, paths, options));
    expect(error.problem).toBe(problem);
    expect(error.input).toBe('path');
    expect(error.fix).toMatch(fix);
  });

  it.each(MODEL_TYPES)('an empty listing for %s', (type) => {
    const error = thrown(() => checkModelLayout(type, [], { location: './empty' }));
    expect(error.problem).toBe("nothing is stored at './empty'");
    expect(error.input).toBeUndefined();
    expect(error.fix).toMatch(/folder or file that holds the model files/);
  });
});
