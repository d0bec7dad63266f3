// The step: resolve the targets, warm each up, run every case against it, measure latency under
// load, judge against the thresholds; on failure optionally put the previous traffic back. The
// outputs and the summary are written in every case, failure included.
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  ConfigurationError,
  normalizeTraffic,
  sameTraffic,
  type WorkspaceSession,
  type WorkspaceSessionOptions,
} from '@aml-actions/core';
import type { Logger } from '@aml-actions/core/github';
import type { SmokeCase } from './cases';
import type { SmokeInputs } from './inputs';
import {
  type CaseRun,
  latencyStats,
  runCase,
  runLoad,
  type Send,
  sendWith,
  type Target,
  type Timing,
  warmUp,
} from './load';
import { buildSummary, reportJson, type SmokeReport, type TargetReport } from './report';
import { type ResolvedTargets, resolveTargets } from './targets';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunDeps {
  logger: Logger;
  env: Env;
  cwd: string;
  mask: (secret: string) => void;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  connect?: (options: WorkspaceSessionOptions) => Promise<WorkspaceSession>;
  abortSignal?: AbortSignal;
  send?: Send;
}

export class SmokeFailedError extends Error {
  override readonly name = 'SmokeFailedError';
}

export async function run(inputs: SmokeInputs, deps: RunDeps): Promise<SmokeReport> {
  const timeout = AbortSignal.timeout(inputs.timeoutInMs);
  const signal = deps.abortSignal ? AbortSignal.any([deps.abortSignal, timeout]) : timeout;
  const resolved = await resolveTargets(inputs, {
    env: deps.env,
    cwd: deps.cwd,
    mask: deps.mask,
    abortSignal: signal,
    ...(deps.connect ? { connect: deps.connect } : {}),
  });
  if (resolved.signedInAs) deps.logger.info(`Signed in with ${resolved.signedInAs}.`);
  const scoringUri = resolved.targets[0]?.invoke.scoringUri ?? '';
  deps.logger.info(`Scoring URI ${scoringUri}; auth: ${resolved.auth}.`);
  const send = deps.send ?? sendWith(inputs.requestTimeoutInMs);
  const timing: Timing = {
    requestTimeoutInMs: inputs.requestTimeoutInMs,
    sleep: (ms, s) => sleepFor(ms, undefined, { signal: s }),
    now: () => performance.now(),
    signal,
  };

  const runs: CaseRun[] = [];
  const targetReports: TargetReport[] = [];
  const failures: string[] = [];
  for (const target of targetsToTest(inputs, resolved)) {
    const cases = casesFor(inputs.cases, target, resolved);
    const probe = cases.find((c) => c.expect.status.some((s) => s >= 200 && s < 300)) ?? cases[0];
    if (!probe) continue;
    const warm = await warmUp(target, probe, send, inputs.warmupTimeoutInMs, timing);
    const report: TargetReport = {
      target: target.label,
      warmUp: warm,
      latency: latencyStats([]),
      problems: [],
    };
    targetReports.push(report);
    if (!warm.ready) {
      const problem = `${target.label} did not answer within ${Math.round(inputs.warmupTimeoutInMs / 1000)} s (${warm.attempts} attempts; last: ${warm.last ?? 'no answer'})`;
      report.problems.push(problem);
      failures.push(problem);
      deps.logger.error(problem);
      continue;
    }
    deps.logger.info(
      `${target.label} answers (warm-up: ${warm.attempts} attempt${warm.attempts === 1 ? '' : 's'}, ${(warm.elapsedInMs / 1000).toFixed(1)} s).`,
    );
    for (const smokeCase of cases) {
      const caseRun = await runCase(target, smokeCase, send, signal);
      runs.push(caseRun);
      const where = `${smokeCase.name} on ${target.label}`;
      if (caseRun.result.passed)
        deps.logger.info(`✓ ${where}: ${caseRun.status} in ${Math.round(caseRun.latencyInMs)} ms`);
      else
        deps.logger.error(`✗ ${where}: ${caseRun.result.problems.join('; ')}`, {
          title: `Smoke case failed: ${smokeCase.name}`,
          ...(smokeCase.source.line !== undefined
            ? { file: smokeCase.source.file, startLine: smokeCase.source.line }
            : {}),
        });
    }
    if (inputs.requests > 0) {
      const samples = await runLoad(target, cases, inputs.requests, inputs.concurrency, send, signal);
      report.latency = latencyStats(samples);
    } else {
      report.latency = latencyStats(
        runs
          .filter((r) => r.target === target.label)
          .map((r) => ({ latencyInMs: r.latencyInMs, ok: r.result.passed })),
      );
    }
    const { latency } = report;
    deps.logger.info(
      `${target.label}: ${latency.requests} requests, ${latency.errors} errors, p50 ${Math.round(latency.p50InMs)} ms, p95 ${Math.round(latency.p95InMs)} ms, p99 ${Math.round(latency.p99InMs)} ms, max ${Math.round(latency.maxInMs)} ms.`,
    );
    if (inputs.maxP95InMs !== undefined && latency.p95InMs > inputs.maxP95InMs)
      report.problems.push(
        `${target.label}: p95 ${Math.round(latency.p95InMs)} ms is above max-p95-ms ${inputs.maxP95InMs}`,
      );
    if (inputs.maxErrorRate !== undefined && latency.errorRate > inputs.maxErrorRate)
      report.problems.push(
        `${target.label}: error rate ${(latency.errorRate * 100).toFixed(1)}% is above max-error-rate ${(inputs.maxErrorRate * 100).toFixed(1)}%`,
      );
    for (const problem of report.problems) {
      failures.push(problem);
      deps.logger.error(problem);
    }
  }
  const failedCases = runs.filter((r) => !r.result.passed);
  if (failedCases.length > 0) failures.unshift(`${failedCases.length} of ${runs.length} case runs failed`);
  const passed = failures.length === 0;

  let rolledBack = false;
  if (!passed && inputs.rollbackOnFailure) rolledBack = await rollBack(inputs, resolved, deps);
  const report: SmokeReport = {
    passed,
    scoringUri,
    auth: resolved.auth,
    cases: runs,
    targets: targetReports,
    rolledBack,
    failures,
  };
  writeOutputs(report, deps);
  await deps.writeSummary(buildSummary(report));
  if (!passed) throw new SmokeFailedError(`smoke test failed: ${failures.join('; ')}`);
  return report;
}

/** The targets named, plus one per deployment a case pins itself to that is not among them. */
function targetsToTest(inputs: SmokeInputs, resolved: ResolvedTargets): Target[] {
  const targets = [...resolved.targets];
  for (const smokeCase of inputs.cases) {
    if (smokeCase.deployment && !targets.some((t) => t.invoke.deployment === smokeCase.deployment))
      targets.push(resolved.pinned(smokeCase.deployment));
  }
  return targets;
}

function casesFor(cases: readonly SmokeCase[], target: Target, resolved: ResolvedTargets): SmokeCase[] {
  const named = resolved.targets.includes(target);
  return cases.filter((c) => (c.deployment ? c.deployment === target.invoke.deployment : named));
}

async function rollBack(inputs: SmokeInputs, resolved: ResolvedTargets, deps: RunDeps): Promise<boolean> {
  const endpoints = resolved.endpoints;
  const previous = inputs.previousTraffic;
  if (!endpoints || !previous || !inputs.endpointName) return false;
  // Its own budget: a rollback must still run after a cancel or the step's timeout.
  const signal = AbortSignal.timeout(10 * 60_000);
  const current = await endpoints.get(inputs.endpointName, { abortSignal: signal });
  const deployments = (await endpoints.listDeployments(inputs.endpointName, { abortSignal: signal })).map(
    (d) => d.name,
  );
  const missing = Object.keys(previous).filter((name) => !deployments.includes(name));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `previous-traffic names ${missing.join(', ')}, which endpoint '${inputs.endpointName}' no longer has: nothing was rolled back`,
      {
        input: 'previous-traffic',
        fix: `Restore the traffic by hand among: ${deployments.join(', ')}.`,
      },
    );
  }
  const traffic = normalizeTraffic(current?.properties.traffic);
  const mirror = normalizeTraffic(current?.properties.mirrorTraffic);
  if (sameTraffic(traffic, previous)) {
    deps.logger.info('The traffic already is previous-traffic: nothing to roll back.');
    return false;
  }
  deps.logger.warning(`Rolling back the traffic of ${inputs.endpointName} to ${JSON.stringify(previous)}.`);
  await endpoints.setTraffic(inputs.endpointName, previous, mirror, {
    abortSignal: signal,
    pollIntervalInMs: 2_000,
    onPoll: (status) => deps.logger.info(`  rollback: ${status}…`),
  });
  return true;
}

function writeOutputs(report: SmokeReport, deps: RunDeps): void {
  const all = report.targets.filter((t) => t.latency.requests > 0);
  const main = all[0]?.latency;
  const requests = all.reduce((sum, t) => sum + t.latency.requests, 0);
  const errors = all.reduce((sum, t) => sum + t.latency.errors, 0);
  deps.setOutput('passed', String(report.passed));
  deps.setOutput('report', reportJson(report));
  deps.setOutput('p50-ms', main ? String(Math.round(main.p50InMs)) : '');
  deps.setOutput('p95-ms', main ? String(Math.round(main.p95InMs)) : '');
  deps.setOutput('p99-ms', main ? String(Math.round(main.p99InMs)) : '');
  deps.setOutput('error-rate', requests > 0 ? String(errors / requests) : '');
  deps.setOutput('rolled-back', String(report.rolledBack));
}
