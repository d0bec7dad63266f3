import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActionsLogger, memoryLogger } from '../../src/github/logger';

describe('memoryLogger', () => {
  it('records entries with their level, annotation and enclosing groups', async () => {
    const logger = memoryLogger();
    logger.info('starting');
    await logger.group('Submit', async () => {
      logger.debug('payload');
      logger.warning('deprecated input', { file: 'job.yml', startLine: 3, title: 'Deprecated' });
    });
    logger.error('failed');
    expect(logger.entries).toEqual([
      { kind: 'info', message: 'starting', groups: [] },
      { kind: 'group-start', message: 'Submit', groups: [] },
      { kind: 'debug', message: 'payload', groups: ['Submit'] },
      {
        kind: 'warning',
        message: 'deprecated input',
        annotation: { file: 'job.yml', startLine: 3, title: 'Deprecated' },
        groups: ['Submit'],
      },
      { kind: 'group-end', message: 'Submit', groups: [] },
      { kind: 'error', message: 'failed', groups: [] },
    ]);
    expect(logger.messages()).toEqual(['starting', 'payload', 'deprecated input', 'failed']);
    expect(logger.messages('warning')).toEqual(['deprecated input']);
  });

  it('returns what the group function returns', async () => {
    const logger = memoryLogger();
    await expect(logger.group('compute', async () => 42)).resolves.toBe(42);
  });

  it('closes the group when the function throws, and rethrows', async () => {
    const logger = memoryLogger();
    const failure = new Error('boom');
    await expect(
      logger.group('outer', () =>
        logger.group('inner', async () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(logger.openGroups).toEqual([]);
    expect(logger.entries.map((entry) => `${entry.kind}:${entry.message}`)).toEqual([
      'group-start:outer',
      'group-start:inner',
      'group-end:inner',
      'group-end:outer',
    ]);
  });
});

describe('createActionsLogger', () => {
  let output: string;
  beforeEach(() => {
    output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes workflow commands with annotation properties', () => {
    const logger = createActionsLogger();
    logger.info('plain line');
    logger.debug('details');
    logger.warning('check this', { file: 'jobs/train.yml', startLine: 4, endLine: 6, title: 'Heads up' });
    logger.error('broken');
    expect(output.split('\n')).toEqual([
      'plain line',
      '::debug::details',
      '::warning title=Heads up,file=jobs/train.yml,line=4,endLine=6::check this',
      '::error::broken',
      '',
    ]);
  });

  it('ends the group when the function throws', async () => {
    const logger = createActionsLogger();
    await expect(
      logger.group('Upload code', async () => {
        logger.info('inside');
        throw new Error('upload failed');
      }),
    ).rejects.toThrow('upload failed');
    expect(output).toBe('::group::Upload code\ninside\n::endgroup::\n');
  });

  it('does not nest runner groups (an inner endgroup would close the outer one)', async () => {
    const logger = createActionsLogger();
    await logger.group('outer', () => logger.group('inner', async () => logger.info('x')));
    expect(output).toBe('::group::outer\ninner\nx\n::endgroup::\n');
    output = '';
    await logger.group('next', async () => undefined);
    expect(output).toBe('::group::next\n::endgroup::\n');
  });
});
