import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  type ExistingVersion,
  type ModelIdentity,
  nextFreeVersion,
  planVersion,
  sameContent,
  type VersionPlan,
} from '../../src/models/version-plan';

const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const JOB_SOURCE = 'azureml://jobs/train-42/outputs/model';

const identity = (overrides: Partial<ModelIdentity> = {}): ModelIdentity => ({
  modelType: 'mlflow_model',
  contentHash: HASH,
  source: JOB_SOURCE,
  sourceIsImmutable: true,
  ...overrides,
});

function thrown(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('sameContent', () => {
  const cases: { name: string; existing: ExistingVersion; identity: ModelIdentity; same: boolean }[] = [
    {
      name: 'same content hash',
      existing: { version: '1', modelType: 'mlflow_model', contentHash: HASH, source: './elsewhere' },
      identity: identity({ sourceIsImmutable: false }),
      same: true,
    },
    {
      name: 'same content hash, model type not recorded',
      existing: { version: '1', contentHash: HASH },
      identity: identity(),
      same: true,
    },
    {
      name: 'same hash but another model type',
      existing: { version: '1', modelType: 'custom_model', contentHash: HASH, source: JOB_SOURCE },
      identity: identity(),
      same: false,
    },
    {
      name: 'other hash, same immutable source (a job output)',
      existing: { version: '1', modelType: 'mlflow_model', contentHash: OTHER_HASH, source: JOB_SOURCE },
      identity: identity(),
      same: true,
    },
    {
      name: 'no hash recorded, same immutable source',
      existing: { version: '1', source: JOB_SOURCE },
      identity: identity(),
      same: true,
    },
    {
      name: 'same source that can change (a local folder) with another hash',
      existing: { version: '1', contentHash: OTHER_HASH, source: './model' },
      identity: identity({ source: './model', sourceIsImmutable: false }),
      same: false,
    },
    {
      name: 'immutable source, but another one',
      existing: { version: '1', contentHash: OTHER_HASH, source: 'azureml://jobs/train-41/outputs/model' },
      identity: identity(),
      same: false,
    },
    {
      name: 'immutable source, another model type',
      existing: { version: '1', modelType: 'triton_model', source: JOB_SOURCE },
      identity: identity(),
      same: false,
    },
    {
      name: 'nothing recorded (registered by hand)',
      existing: { version: '1' },
      identity: identity(),
      same: false,
    },
  ];
  it.each(cases)('$name → $same', ({ existing, identity: id, same }) => {
    expect(sameContent(existing, id)).toBe(same);
  });
});

describe('nextFreeVersion', () => {
  const cases: { versions: string[]; next: string }[] = [
    { versions: [], next: '1' },
    { versions: ['1'], next: '2' },
    { versions: ['1', '2', '3'], next: '4' },
    { versions: ['3', '10', '2'], next: '11' },
    { versions: ['007'], next: '8' },
    { versions: ['v2', '1.0', '2024-05-01', 'candidate'], next: '1' },
    { versions: ['v9', '4', '1.5'], next: '5' },
  ];
  it.each(cases)('$versions → $next', ({ versions, next }) => {
    expect(nextFreeVersion(versions.map((version) => ({ version })))).toBe(next);
  });
});

describe('planVersion', () => {
  const cases: {
    name: string;
    existing: ExistingVersion[];
    identity?: ModelIdentity;
    requested: string;
    plan: VersionPlan;
  }[] = [
    {
      name: 'auto, first version',
      existing: [],
      requested: 'auto',
      plan: { action: 'create', version: '1' },
    },
    {
      name: 'auto, other content: next number',
      existing: [
        { version: '1', contentHash: OTHER_HASH },
        { version: '2', contentHash: OTHER_HASH },
      ],
      identity: identity({ sourceIsImmutable: false }),
      requested: 'auto',
      plan: { action: 'create', version: '3' },
    },
    {
      name: 'auto, non-numeric versions ignored',
      existing: [{ version: 'v7' }, { version: '2' }, { version: 'release-10' }],
      requested: 'auto',
      plan: { action: 'create', version: '3' },
    },
    {
      name: 'auto reuses the version with the same hash',
      existing: [
        { version: '1', contentHash: OTHER_HASH },
        { version: '2', contentHash: HASH },
        { version: '3', contentHash: OTHER_HASH },
      ],
      identity: identity({ sourceIsImmutable: false }),
      requested: 'auto',
      plan: { action: 'reuse', version: '2' },
    },
    {
      name: 'auto reuses the version from the same job output',
      existing: [{ version: '1', source: JOB_SOURCE }, { version: '2' }],
      requested: 'auto',
      plan: { action: 'reuse', version: '1' },
    },
    {
      name: 'auto never reuses across model types',
      existing: [{ version: '1', modelType: 'custom_model', contentHash: HASH, source: JOB_SOURCE }],
      requested: 'auto',
      plan: { action: 'create', version: '2' },
    },
    {
      name: 'auto: the newest match wins',
      existing: [
        { version: '1', contentHash: HASH, createdAt: '2024-01-01T00:00:00Z' },
        { version: '3', contentHash: HASH, createdAt: '2024-03-01T00:00:00Z' },
        { version: '2', contentHash: HASH, createdAt: '2024-02-01T00:00:00Z' },
      ],
      requested: 'auto',
      plan: { action: 'reuse', version: '3' },
    },
    {
      name: 'auto: a match with a creation time beats one without',
      existing: [
        { version: 'hand-made', contentHash: HASH },
        { version: '5', contentHash: HASH, createdAt: '2024-01-01T00:00:00Z' },
      ],
      requested: 'auto',
      plan: { action: 'reuse', version: '5' },
    },
    {
      name: 'explicit version that is free',
      existing: [{ version: '1', contentHash: OTHER_HASH }],
      identity: identity({ sourceIsImmutable: false }),
      requested: '7',
      plan: { action: 'create', version: '7' },
    },
    {
      name: 'explicit free version even when another holds the content',
      existing: [{ version: '1', contentHash: HASH }],
      requested: 'v2',
      plan: { action: 'create', version: 'v2' },
    },
    {
      name: 'explicit version that already holds this content',
      existing: [{ version: '1' }, { version: '2', contentHash: HASH }],
      requested: '2',
      plan: { action: 'reuse', version: '2' },
    },
  ];
  it.each(cases)('$name', ({ existing, identity: id, requested, plan }) => {
    expect(planVersion('churn', existing, id ?? identity(), requested)).toEqual(plan);
  });

  it('does not reorder the caller’s list', () => {
    const existing: ExistingVersion[] = [
      { version: '1', createdAt: '2024-01-01' },
      { version: '2', createdAt: '2024-02-01' },
    ];
    planVersion('churn', existing, identity(), 'auto');
    expect(existing.map((v) => v.version)).toEqual(['1', '2']);
  });

  describe('an explicit version that holds other content is a clash', () => {
    it('names the version that holds this content in the fix', () => {
      const error = thrown(() =>
        planVersion(
          'churn',
          [
            { version: '1', contentHash: OTHER_HASH, source: './old-model' },
            { version: '2', contentHash: HASH },
          ],
          identity({ sourceIsImmutable: false }),
          '1',
        ),
      );
      expect(error.problem).toBe(
        "version 1 of model 'churn' already exists and holds other content (registered from ./old-model)",
      );
      expect(error.input).toBe('version');
      expect(error.fix).toBe('Version 2 already holds this content: use version: 2, or version: auto.');
    });

    it('suggests auto with the next number when no version holds the content', () => {
      const error = thrown(() =>
        planVersion(
          'churn',
          [{ version: '1', contentHash: OTHER_HASH }, { version: '4' }, { version: 'beta' }],
          identity({ sourceIsImmutable: false }),
          '4',
          'promote-version',
        ),
      );
      expect(error.problem).toBe("version 4 of model 'churn' already exists and holds other content");
      expect(error.input).toBe('promote-version');
      expect(error.fix).toContain('use version: auto (next is 5)');
      expect(error.fix).toContain('never overwritten');
    });

    it('says when the version holds another model type', () => {
      const error = thrown(() =>
        planVersion(
          'churn',
          [{ version: '1', modelType: 'custom_model', contentHash: HASH }],
          identity(),
          '1',
        ),
      );
      expect(error.problem).toBe(
        "version 1 of model 'churn' already exists and holds a custom_model, not a mlflow_model",
      );
      expect(error.fix).toContain('next is 2');
    });

    it('points at the newest matching version when several hold the content', () => {
      const error = thrown(() =>
        planVersion(
          'churn',
          [
            { version: '1', contentHash: HASH, createdAt: '2024-01-01T00:00:00Z' },
            { version: '2', contentHash: OTHER_HASH, createdAt: '2024-02-01T00:00:00Z' },
            { version: '3', contentHash: HASH, createdAt: '2024-03-01T00:00:00Z' },
          ],
          identity({ sourceIsImmutable: false }),
          '2',
        ),
      );
      expect(error.fix).toBe('Version 3 already holds this content: use version: 3, or version: auto.');
    });
  });
});
