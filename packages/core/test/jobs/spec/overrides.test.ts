import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors';
import { parseSetOverrides } from '../../../src/jobs/spec';

describe('parseSetOverrides', () => {
  it('parses one path=value per line, values as YAML scalars, skipping blanks and comments', () => {
    const overrides = parseSetOverrides(
      '# tuning\ninputs.learning_rate=0.05\n\ncompute=azureml:gpu-cluster\njobs.train.resources.instance_count = 2\nsettings.continue_on_step_failure=true\ntags.note=a=b\nsearch_space.c.values=[1, 2]\ndisplay_name=',
    );
    expect(overrides.map(({ path, value, line }) => ({ path: path.join('.'), value, line }))).toEqual([
      { path: 'inputs.learning_rate', value: 0.05, line: 2 },
      { path: 'compute', value: 'azureml:gpu-cluster', line: 4 },
      { path: 'jobs.train.resources.instance_count', value: 2, line: 5 },
      { path: 'settings.continue_on_step_failure', value: true, line: 6 },
      { path: 'tags.note', value: 'a=b', line: 7 },
      { path: 'search_space.c.values', value: [1, 2], line: 8 },
      { path: 'display_name', value: '', line: 9 },
    ]);
    expect(overrides[1]?.text).toBe('compute=azureml:gpu-cluster');
  });

  it.each([
    ['inputs.lr 0.1', /input 'set': line 1 \(`inputs\.lr 0\.1`\): is not of the form path=value/],
    ['compute: azureml:x', /is not of the form path=value \('key: value' is not accepted\)/],
    ['=3', /has no path before '='/],
    ['inputs..lr=1', /path 'inputs\.\.lr' has an empty segment/],
    ['ok=1\njobs.train step.x=1', /input 'set': line 2 .*path segment 'train step' is not a key name/],
    ['tags.x=[1, 2', /value "\[1, 2" is not a valid YAML value/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSetOverrides(text)).toThrow(ConfigurationError);
    expect(() => parseSetOverrides(text)).toThrow(message);
  });

  it('names the input it was given', () => {
    expect(() => parseSetOverrides('x', 'overrides')).toThrow(/^input 'overrides': line 1/);
  });
});
