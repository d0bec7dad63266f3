// One job GET through the whole core pipeline (bearer policy, retry policies, TLS) against the
// emulator on loopback: the per-poll overhead every waiting action pays. Prints one figure line.
import { computeArmId } from '../packages/core/src/index';
import { oidcConnection } from '../test/support/connection';
import { startEmulatorProcess } from '../test/support/emulator';

const ITERATIONS = 300;
const emulator = await startEmulatorProcess();
try {
  const { jobs, workspace } = oidcConnection(emulator.info);
  const name = `bench-${Date.now()}`;
  await jobs.create(name, {
    jobType: 'Command',
    command: 'python train.py',
    environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
    computeId: computeArmId(workspace, 'cpu-cluster'),
  });
  for (let i = 0; i < 20; i++) await jobs.get(name); // warm-up: token, TLS session, JIT
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await jobs.get(name);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(2);
  console.log(`job-get: median ${at(0.5)} ms, p95 ${at(0.95)} ms over ${ITERATIONS} GETs`);
} finally {
  await emulator.stop();
}
