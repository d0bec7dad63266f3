// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Azure ML `${{ }}` bindings are test data, written literally.
// Expected values computed with CPython 3 running azure-ai-ml's own expressions
// (`hash_str.join(get_md5_string(...))`, `str(UUID(md5(json.dumps(d, sort_keys=True))))`).
import { describe, expect, it } from 'vitest';
import {
  anonymousComponentVersionOf,
  anonymousEnvironmentVersionOf,
  pythonJoin,
  pythonJsonDumps,
  uuidFromHex,
} from '../../src/assets/anonymous-names';
import { anonymousComponent, anonymousEnvironment } from '../../src/assets/asset-versions';

const IMAGE = 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest';
const CONDA = 'channels:\n- conda-forge\ndependencies:\n- python=3.10\nname: train-env\n';

describe('anonymous environment version', () => {
  it.each([
    ['image only', { image: IMAGE }, 'baf18218754be5571da6e579a0c774b5'],
    ['image and conda file', { image: IMAGE, condaFile: CONDA }, 'ba2d0e7eb02a4b8eec62ca6b4311df65'],
    [
      'build context with Dockerfile',
      { build: { contextHash: 'abc123', dockerfilePath: 'docker/Dockerfile' } },
      'bc3978e531f81550e40074886d27dc0c',
    ],
  ])('%s', (_label, input, expected) => {
    expect(anonymousEnvironmentVersionOf(input)).toBe(expected);
  });

  it('changes with the conda file', () => {
    expect(anonymousEnvironmentVersionOf({ image: IMAGE, condaFile: `${CONDA}# x\n` })).not.toBe(
      'ba2d0e7eb02a4b8eec62ca6b4311df65',
    );
  });

  it('builds the REST body of an image environment', () => {
    expect(anonymousEnvironment({ image: IMAGE, condaFile: CONDA, osType: 'Linux' })).toEqual({
      name: 'CliV2AnonymousEnvironment',
      version: 'ba2d0e7eb02a4b8eec62ca6b4311df65',
      properties: { isAnonymous: true, image: IMAGE, condaFile: CONDA, osType: 'Linux' },
    });
  });

  it.each([
    ['neither image nor build', {}],
    ['both image and build', { image: IMAGE, build: { contextUri: 'https://x/ctx' } }],
  ])('refuses %s', (_label, spec) => {
    expect(() => anonymousEnvironment(spec)).toThrow(/exactly one of image or build/);
  });
});

describe('anonymous component version', () => {
  const spec = {
    $schema: 'https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json',
    name: 'train',
    version: '3',
    type: 'command',
    command: 'python train.py --lr ${{inputs.lr}}',
    code: 'azureml:/subscriptions/x/codes/c/versions/1',
    environment: 'azureml:env:1',
    inputs: { lr: { type: 'number', default: 0.01 }, epochs: { type: 'integer', default: 10 } },
    display_name: 'Train é ✓',
    tags: { b: '2', a: '1' },
    flag: true,
    nothing: null,
    ratio: 1.5e-7,
  };

  it('is the UUID of the md5 of the sorted JSON without name, id and version', () => {
    expect(anonymousComponentVersionOf(spec)).toBe('5d7ff6c3-b796-6853-50a6-17b9bb224b1f');
    expect(anonymousComponentVersionOf({ ...spec, name: 'other', version: '9', id: 'x' })).toBe(
      '5d7ff6c3-b796-6853-50a6-17b9bb224b1f',
    );
    expect(anonymousComponentVersionOf({ ...spec, command: 'python other.py' })).not.toBe(
      '5d7ff6c3-b796-6853-50a6-17b9bb224b1f',
    );
  });

  it('builds the REST body with the anonymous name and version in the spec', () => {
    const { name, version, properties } = anonymousComponent(spec);
    expect(name).toBe('azureml_anonymous');
    expect(properties).toMatchObject({
      isAnonymous: true,
      tags: { a: '1', b: '2' },
      componentSpec: { name: 'azureml_anonymous', version, command: spec.command },
    });
  });
});

describe('pythonJsonDumps', () => {
  it('matches json.dumps(sort_keys=True) of CPython', () => {
    const {
      name: _n,
      version: _v,
      ...rest
    } = {
      $schema: 'https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json',
      name: 'train',
      version: '3',
      type: 'command',
      command: 'python train.py --lr ${{inputs.lr}}',
      code: 'azureml:/subscriptions/x/codes/c/versions/1',
      environment: 'azureml:env:1',
      inputs: { lr: { type: 'number', default: 0.01 }, epochs: { type: 'integer', default: 10 } },
      display_name: 'Train é ✓',
      tags: { b: '2', a: '1' },
      flag: true,
      nothing: null,
      ratio: 1.5e-7,
    };
    expect(pythonJsonDumps(rest)).toBe(
      '{"$schema": "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json", "code": "azureml:/subscriptions/x/codes/c/versions/1", "command": "python train.py --lr ${{inputs.lr}}", "display_name": "Train \\u00e9 \\u2713", "environment": "azureml:env:1", "flag": true, "inputs": {"epochs": {"default": 10, "type": "integer"}, "lr": {"default": 0.01, "type": "number"}}, "nothing": null, "ratio": 1.5e-07, "tags": {"a": "1", "b": "2"}, "type": "command"}',
    );
  });

  it.each([
    [0.01, '0.01'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [123.456, '123.456'],
    [-0.5, '-0.5'],
    [42, '42'],
    [1.5e22, '1.5e+22'],
  ])('number %d as Python writes it', (value, text) => {
    expect(pythonJsonDumps(value)).toBe(text);
  });

  it('escapes like ensure_ascii', () => {
    expect(pythonJsonDumps({ k: 'a"b\\c\n\t\u0001\u007f😀' })).toBe(
      '{"k": "a\\"b\\\\c\\n\\t\\u0001\\u007f\\ud83d\\ude00"}',
    );
  });
});

describe('helpers', () => {
  it('pythonJoin puts the separator between the characters', () => {
    expect(pythonJoin('-', 'abc')).toBe('a-b-c');
    expect(pythonJoin('', 'abc')).toBe('abc');
  });
  it('uuidFromHex groups 32 hex digits', () => {
    expect(uuidFromHex('7641F812B455F3765BD398AD84E2452A')).toBe('7641f812-b455-f376-5bd3-98ad84e2452a');
  });
});
