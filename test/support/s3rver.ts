// s3rver (the S3 stand-in) for tests: started on a loopback port with its buckets, stopped after.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** s3rver's fixed access key and secret: any request signed with them is accepted. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * s3rver in a child process: its continuation tokens use DES, which Node 20's OpenSSL 3 only
 * offers with the legacy provider, so paged listings fail in this process.
 */
export async function startS3rver(directory: string, buckets: readonly string[]): Promise<S3rverProcess> {
  const packageJson = createRequire(import.meta.url).resolve('s3rver/package.json');
  const bin = path.join(path.dirname(packageJson), 'bin', 's3rver.js');
  mkdirSync(directory, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '-d',
      directory,
      '-a',
      '127.0.0.1',
      '-p',
      '0',
      '-s',
      ...buckets.flatMap((bucket) => ['--configure-bucket', bucket]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /S3rver listening on [^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${output}`));
    });
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
