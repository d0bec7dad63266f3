// The `set` input: one `a.b.c=value` per line, applied to the job YAML before it is checked.
import { parse } from 'yaml';
import { ConfigurationError } from '../../errors';
import type { JobOverride } from './types';

const SEGMENT = /^[A-Za-z_$][\w$-]*$/;

/**
 * Parses override lines. Blank lines and `#` comments are skipped. The value is a YAML scalar
 * (`0.05` is a number, `true` a boolean, `azureml:gpu` a string); `[..]` and `{..}` are flow collections.
 */
export function parseSetOverrides(text: string, input = 'set'): JobOverride[] {
  const overrides: JobOverride[] = [];
  const fix =
    'Write one override per line as `path.to.key=value`, for example `inputs.learning_rate=0.05` or `jobs.train.resources.instance_count=2`.';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const lineText = raw.trim();
    if (lineText === '' || lineText.startsWith('#')) return;
    const fail = (problem: string, specificFix = fix): never => {
      throw new ConfigurationError(`line ${line} (\`${lineText}\`): ${problem}`, {
        input,
        line,
        fix: specificFix,
      });
    };
    const equals = lineText.indexOf('=');
    if (equals === -1) {
      const yamlLike = /^[^\s:=]+:\s/.test(lineText) ? " ('key: value' is not accepted)" : '';
      fail(`is not of the form path=value${yamlLike}`);
    }
    const pathText = lineText.slice(0, equals).trim();
    if (pathText === '') fail("has no path before '='");
    const path = pathText.split('.');
    const bad = path.find((segment) => !SEGMENT.test(segment));
    if (bad !== undefined) {
      fail(
        bad === ''
          ? `path '${pathText}' has an empty segment`
          : `path segment '${bad}' is not a key name (letters, digits, '_' and '-')`,
      );
    }
    overrides.push({
      path,
      value: parseValue(lineText.slice(equals + 1).trim(), fail),
      text: lineText,
      line,
    });
  });
  return overrides;
}

function parseValue(text: string, fail: (problem: string, fix?: string) => never): unknown {
  if (text === '') return '';
  try {
    const value: unknown = parse(text);
    if (typeof value === 'object' && value !== null && !/^[[{]/.test(text)) return text;
    return value;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return fail(
      `value ${JSON.stringify(text)} is not a valid YAML value: ${reason}`,
      'Quote the value (`key="text"`) or fix its brackets.',
    );
  }
}
