// The multi-cloud-artifact-copy bundle (dist/, as a workflow runs it) against rclone, Azure Blob
// (Azurite) → S3 (s3rver) on loopback, for one 1 GiB object and for 1000 × 1 MiB objects: wall
// time (median of RUNS, the two tools alternating), throughput and peak RSS (the highest of the
// runs) of each tool's process. Prints a table and whether ours meets "≥ rclone throughput and
// peak RSS < 200 MB". Exits non-zero only when a copy fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { S3ObjectStore } from '../packages/core/src/storage/object-stores/s3-store';
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  startAzurite,
} from '../packages/emulator/src/azurite/azurite-process';
import { runAction } from '../test/support/runner';
import { S3RVER_CREDENTIALS, startS3rver } from '../test/support/s3rver';

const MiB = 1024 * 1024;
const CONTAINER = 'bench';
const BUCKET = 'copies';
const DESTINATION_PREFIX = 'out';
const CONCURRENCY = 8;
const PART_SIZE = 8 * MiB;
const RSS_LIMIT_MB = 200;
/** How the s3rver process is found in /proc, for its CPU time. */
const S3RVER_SCRIPT = 's3rver/bin/s3rver.js';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = path.resolve(import.meta.dirname, '..');
const BUNDLE = path.join(repo, 'dist/multi-cloud-artifact-copy/index.js');

interface Dataset {
  name: string;
  prefix: string;
  objects: number;
  objectSize: number;
}
const DATASETS: Dataset[] = [
  { name: '1 x 1 GiB', prefix: 'big', objects: 1, objectSize: 1024 * MiB },
  { name: '1000 x 1 MiB', prefix: 'small', objects: 1000, objectSize: MiB },
];

interface Measurement {
  seconds: number;
  peakRssMB: number;
  /** CPU seconds s3rver spent during the run: when it nears `seconds`, s3rver is the bottleneck. */
  s3rverCpu: number;
}

/** One fixed, pseudo-random MiB (xorshift), stamped per chunk with (object, chunk) so no two match. */
const BASE_CHUNK = (() => {
  const chunk = Buffer.alloc(MiB);
  let x = 0x9e3779b9;
  for (let i = 0; i < MiB; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chunk.writeUInt32LE(x >>> 0, i);
  }
  return chunk;
})();

function chunkOf(objectIndex: number, chunkIndex: number): Buffer {
  const chunk = Buffer.from(BASE_CHUNK);
  chunk.writeUInt32LE(objectIndex, 0);
  chunk.writeUInt32LE(chunkIndex, 4);
  return chunk;
}

function objectStream(objectIndex: number, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0, chunk = 0; offset < size; offset += MiB, chunk++) {
        const data = chunkOf(objectIndex, chunk);
        yield size - offset < MiB ? data.subarray(0, size - offset) : data;
      }
    })(),
  );
}

async function pool(count: number, width: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function seed(container: ContainerClient, dataset: Dataset): Promise<void> {
  await pool(dataset.objects, 16, async (index) => {
    const blob = container.getBlockBlobClient(
      `${dataset.prefix}/object-${String(index).padStart(4, '0')}.bin`,
    );
    if (dataset.objectSize <= 4 * MiB) {
      await blob.uploadData(chunkOf(index, 0).subarray(0, dataset.objectSize));
    } else {
      await blob.uploadStream(objectStream(index, dataset.objectSize), 8 * MiB, 4);
    }
  });
}

async function clearDestination(store: S3ObjectStore): Promise<void> {
  const keys: string[] = [];
  for await (const object of store.list('')) keys.push(object.key);
  await pool(keys.length, 16, (index) => store.delete(keys[index] as string));
}

async function destinationBytes(store: S3ObjectStore): Promise<{ objects: number; bytes: number }> {
  let objects = 0;
  let bytes = 0;
  for await (const object of store.list('')) {
    objects++;
    bytes += object.size;
  }
  return { objects, bytes };
}

function readVmHwmKiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) used so far by the processes whose command line contains `match`. */
function cpuSecondsOf(match: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) continue;
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/**
 * The highest VmHWM of any process running `script`, polled every 50 ms until stopped: the
 * harness spawns the step, so its pid is found by command line.
 */
function watchPeakRss(script: string): { stop(): number } {
  let peakKiB = 0;
  const poll = () => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script)) continue;
      } catch {
        continue;
      }
      peakKiB = Math.max(peakKiB, readVmHwmKiB(Number(pid)) ?? 0);
    }
  };
  const timer = setInterval(poll, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKiB;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs a command to completion: wall time, output, and the VmHWM last polled while it ran. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number; polledHwmKiB: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledHwmKiB = 0;
    const poll = setInterval(() => {
      if (child.pid) polledHwmKiB = Math.max(polledHwmKiB, readVmHwmKiB(child.pid) ?? 0);
    }, 50);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.once('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000, polledHwmKiB });
    });
  });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** rclone on PATH, installing it with apt-get when missing; false (with a message) when that fails. */
function ensureRclone(): boolean {
  if (hasCommand('rclone')) return true;
  console.log('rclone not found; running `apt-get install -y rclone`');
  const installed = spawnSync('apt-get', ['install', '-y', 'rclone'], { stdio: 'inherit' });
  if (installed.status === 0 && hasCommand('rclone')) return true;
  console.log('rclone could not be installed: skipping the rclone runs (ours only).');
  return false;
}

let failed = false;
/**
 * The servers' data on tmpfs when there is room: the VM's disk writeback (GiBs per run) otherwise
 * moves the timings of both tools by seconds from run to run.
 */
function benchRoot(): string {
  try {
    if (statfsSync('/dev/shm').bavail * statfsSync('/dev/shm').bsize > 6 * 1024 * MiB) return '/dev/shm';
  } catch {
    // No /dev/shm: the disk it is.
  }
  return os.tmpdir();
}

const work = mkdtempSync(path.join(benchRoot(), 'bench-artifact-copy-'));
console.log(`servers' data in ${work}`);
const azurite = await startAzurite({ location: path.join(work, 'azurite') });
const s3rver = await startS3rver(path.join(work, 's3rver'), [BUCKET]);
try {
  const s3Endpoint = `http://127.0.0.1:${s3rver.port}`;
  const { blobEndpoint } = azurite.account;
  const container = new ContainerClient(
    `${blobEndpoint}/${CONTAINER}`,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
  );
  await container.create();
  const destination = new S3ObjectStore({
    bucket: BUCKET,
    region: 'us-east-1',
    prefix: DESTINATION_PREFIX,
    endpoint: s3Endpoint,
    forcePathStyle: true,
    checksums: 'when-required',
    credentials: S3RVER_CREDENTIALS,
  });
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first.`);
  const withRclone = ensureRclone();
  const timeV = hasCommand('/usr/bin/time') ? '/usr/bin/time' : undefined;

  const rows: { dataset: Dataset; tool: string; result: Measurement }[] = [];
  for (const dataset of DATASETS) {
    const seedStarted = performance.now();
    await seed(container, dataset);
    console.log(
      `seeded ${dataset.name} in Azurite in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );
    const expectedBytes = dataset.objects * dataset.objectSize;
    const copiedAll = async (tool: string, detail: () => string): Promise<boolean> => {
      const copied = await destinationBytes(destination);
      if (copied.objects === dataset.objects && copied.bytes === expectedBytes) return true;
      console.error(
        `${tool} failed on ${dataset.name} (${copied.objects} objects, ${copied.bytes} bytes):\n${detail()}`,
      );
      failed = true;
      return false;
    };
    const runs: Record<string, Measurement[]> = { ours: [], rclone: [] };

    for (let attempt = 0; attempt < RUNS && !failed; attempt++) {
      // Ours: the action's bundle as the runner runs it, with the inputs a workflow would give.
      await clearDestination(destination);
      const watch = watchPeakRss(BUNDLE);
      const oursS3rverBefore = cpuSecondsOf(S3RVER_SCRIPT);
      const started = performance.now();
      const ours = await runAction({
        actionDir: path.join(repo, 'actions/multi-cloud-artifact-copy'),
        cwd: work,
        inputs: {
          source: `${blobEndpoint}/${CONTAINER}/${dataset.prefix}/`,
          'azure-account-key': AZURITE_ACCOUNT_KEY,
          destination: `s3://${BUCKET}/${DESTINATION_PREFIX}/`,
          's3-endpoint': s3Endpoint,
          'aws-region': 'us-east-1',
          concurrency: String(CONCURRENCY),
          'part-size': `${PART_SIZE / MiB}MiB`,
        },
        env: {
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        },
        timeoutMs: 600_000,
      });
      // The step's process from spawn to exit, as rclone's is measured; the harness's own set-up
      // and read-back around it (action.yml, the runner files) is not the tool's time.
      const seconds = ours.durationMs / 1000;
      const harnessSeconds = (performance.now() - started) / 1000 - seconds;
      const peakKiB = watch.stop();
      if (ours.conclusion !== 'success') {
        console.error(`ours failed on ${dataset.name}:\n${ours.stdout}\n${ours.stderr}`);
        failed = true;
      } else if (await copiedAll('ours', () => ours.stdout)) {
        console.log(
          `ours ${dataset.name}: ${seconds.toFixed(2)} s, ${ours.outputs['throughput-mibps']} MiB/s inside the step (harness ${harnessSeconds.toFixed(2)} s more)`,
        );
        runs.ours?.push({
          seconds,
          peakRssMB: peakKiB / 1024,
          s3rverCpu: cpuSecondsOf(S3RVER_SCRIPT) - oursS3rverBefore,
        });
      }

      // rclone copy, configured on the fly through the environment.
      if (!withRclone) continue;
      await clearDestination(destination);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        RCLONE_CONFIG_SRC_TYPE: 'azureblob',
        RCLONE_CONFIG_SRC_ACCOUNT: AZURITE_ACCOUNT_NAME,
        RCLONE_CONFIG_SRC_KEY: AZURITE_ACCOUNT_KEY,
        // rclone 1.60: with use_emulator, endpoint is the full blob service URL (account included).
        RCLONE_CONFIG_SRC_USE_EMULATOR: 'true',
        RCLONE_CONFIG_SRC_ENDPOINT: blobEndpoint,
        RCLONE_CONFIG_DST_TYPE: 's3',
        RCLONE_CONFIG_DST_PROVIDER: 'Other',
        RCLONE_CONFIG_DST_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        RCLONE_CONFIG_DST_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        RCLONE_CONFIG_DST_ENDPOINT: s3Endpoint,
        RCLONE_CONFIG_DST_FORCE_PATH_STYLE: 'true',
        RCLONE_CONFIG: path.join(work, 'rclone.conf'),
      };
      // rclone's S3 SDK fails on a custom CA bundle with its own transport; loopback is plain http.
      delete env.AWS_CA_BUNDLE;
      const rcloneArgs = [
        'copy',
        `src:${CONTAINER}/${dataset.prefix}`,
        `dst:${BUCKET}/${DESTINATION_PREFIX}`,
        '--transfers',
        String(CONCURRENCY),
        '--s3-chunk-size',
        `${PART_SIZE / MiB}M`,
        '--stats',
        '0',
      ];
      const rcloneS3rverBefore = cpuSecondsOf(S3RVER_SCRIPT);
      const rclone = timeV
        ? await run(timeV, ['-v', 'rclone', ...rcloneArgs], env)
        : await run('rclone', rcloneArgs, env);
      if (rclone.code !== 0) {
        console.error(`rclone failed on ${dataset.name} (exit ${rclone.code}):\n${rclone.stderr}`);
        failed = true;
      } else if (await copiedAll('rclone', () => rclone.stderr)) {
        const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(rclone.stderr);
        // Under /usr/bin/time the polled pid is time's own; its report is rclone's peak.
        const peakKiB = maxRss ? Number(maxRss[1]) : rclone.polledHwmKiB;
        console.log(`rclone ${dataset.name}: ${rclone.seconds.toFixed(2)} s`);
        runs.rclone?.push({
          seconds: rclone.seconds,
          peakRssMB: peakKiB / 1024,
          s3rverCpu: cpuSecondsOf(S3RVER_SCRIPT) - rcloneS3rverBefore,
        });
      }
    }
    for (const [tool, measured] of Object.entries(runs)) {
      if (measured.length === 0) continue;
      rows.push({
        dataset,
        tool,
        result: {
          seconds: median(measured.map((m) => m.seconds)),
          peakRssMB: Math.max(...measured.map((m) => m.peakRssMB)),
          s3rverCpu: median(measured.map((m) => m.s3rverCpu)),
        },
      });
    }
    await clearDestination(destination);
    for await (const blob of container.listBlobsFlat({ prefix: `${dataset.prefix}/` })) {
      await container.deleteBlob(blob.name);
    }
  }

  const mibPerSecond = (row: { dataset: Dataset; result: Measurement }) =>
    (row.dataset.objects * row.dataset.objectSize) / MiB / row.result.seconds;
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd([14, 8][i] as number) : cell.padStart(12))).join(' ');
  console.log(
    `\nartifact-copy: Azurite → s3rver, concurrency ${CONCURRENCY}, part size ${PART_SIZE / MiB} MiB, median of ${RUNS} runs (peak RSS: the highest)`,
  );
  console.log(line(['dataset', 'tool', 'seconds', 'MiB/s', 'peak RSS MB', 's3rver CPU s', 'target met']));
  for (const row of rows) {
    let verdict = '';
    if (row.tool === 'ours') {
      const rclone = rows.find((other) => other.dataset === row.dataset && other.tool === 'rclone');
      const rssOk = row.result.peakRssMB < RSS_LIMIT_MB;
      verdict = rclone
        ? mibPerSecond(row) >= mibPerSecond(rclone) && rssOk
          ? 'yes'
          : 'no'
        : `n/a (RSS ${rssOk ? 'ok' : 'over'})`;
    }
    console.log(
      line([
        row.dataset.name,
        row.tool,
        row.result.seconds.toFixed(2),
        mibPerSecond(row).toFixed(1),
        row.result.peakRssMB.toFixed(1),
        row.result.s3rverCpu.toFixed(1),
        verdict,
      ]),
    );
  }
  console.log('target: ours ≥ rclone throughput and ours peak RSS < 200 MB');
  console.log(
    's3rver CPU s: what the (single-threaded) S3 stand-in spent per run; near `seconds`, it is the limit',
  );
} finally {
  await s3rver.stop();
  await azurite.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
