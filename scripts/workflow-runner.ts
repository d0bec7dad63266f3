// Runs a GitHub workflow file's jobs the way the runner would, for the demo and its test: jobs in
// `needs` order, each step of this repository's actions as its dist bundle (through the test
// harness, exactly as the runner starts it), `${{ … }}` expressions expanded from steps, needs,
// vars, env and github, job outputs chained. Other `uses:` steps must be known no-ops (checkout).
import path from 'node:path';
import { parse } from 'yaml';
import { type ActionRunResult, runAction } from '../test/support/runner';

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

export interface WorkflowJob {
  needs?: string | string[];
  environment?: string | { name: string };
  outputs?: Record<string, string>;
  steps: WorkflowStep[];
}

export interface Workflow {
  name?: string;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

export interface StepRun {
  job: string;
  step: string;
  action: string;
  result: ActionRunResult;
}

export interface WorkflowRunOptions {
  repoRoot: string;
  /** Inputs added to every step of our actions (points them at the emulator). */
  extraInputs: Record<string, string>;
  vars: Record<string, string>;
  env: Record<string, string>;
  oidc: { requestUrl: string; requestToken: string };
  github: { repository: string; runId: string; sha?: string };
  onJob?: (job: string, environment: string | undefined) => void;
  onStep?: (run: StepRun) => void;
  onSkip?: (job: string, step: WorkflowStep, why: string) => void;
}

const OUR_ACTION = /^[^/]+\/[^/]+\/actions\/([a-z0-9-]+)@[\w.-]+$|^\.\/actions\/([a-z0-9-]+)$/;
const NO_OPS: Record<string, string> = {
  'actions/checkout@v4': 'the demo runs in this clone',
};

export function readWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

/** Jobs ordered so that every job comes after the jobs it needs. */
export function jobOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (name: string, trail: string[]) => {
    if (order.includes(name)) return;
    if (trail.includes(name))
      throw new Error(`jobs need each other in a cycle: ${[...trail, name].join(' → ')}`);
    const job = workflow.jobs[name];
    if (!job) throw new Error(`job '${trail.at(-1)}' needs '${name}', which does not exist`);
    for (const need of [job.needs ?? []].flat()) visit(need, [...trail, name]);
    order.push(name);
  };
  for (const name of Object.keys(workflow.jobs)) visit(name, []);
  return order;
}

/** `${{ a.b.c }}` property lookups (with `-` in names); anything richer is an error, not a guess. */
export function expand(template: string, contexts: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const parts = expression.trim().split('.');
    if (!parts.every((part) => /^[\w-]+$/.test(part)))
      throw new Error(`the demo cannot evaluate \${{${expression}}}`);
    let value: unknown = contexts;
    for (const part of parts) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (value === undefined) throw new Error(`\${{${expression}}} has no value`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

export async function runWorkflow(workflow: Workflow, options: WorkflowRunOptions): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  const needs: Record<string, { outputs: Record<string, string> }> = {};
  const github = { repository: options.github.repository, run_id: options.github.runId };
  const env = Object.fromEntries(
    Object.entries(workflow.env ?? {}).map(([name, value]) => [
      name,
      expand(String(value), { vars: options.vars, github }),
    ]),
  );
  for (const jobName of jobOrder(workflow)) {
    const job = workflow.jobs[jobName] as WorkflowJob;
    const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
    options.onJob?.(jobName, environment);
    const steps: Record<string, { outputs: Record<string, string> }> = {};
    for (const [index, step] of job.steps.entries()) {
      const label = step.id ?? step.name ?? `step ${index + 1}`;
      if (step.run !== undefined) {
        options.onSkip?.(jobName, step, 'run: steps are not part of the demo');
        continue;
      }
      const uses = step.uses ?? '';
      const ours = OUR_ACTION.exec(uses);
      if (!ours) {
        const why = NO_OPS[uses];
        if (!why) throw new Error(`${jobName}/${label}: the demo cannot run ${uses}`);
        options.onSkip?.(jobName, step, why);
        continue;
      }
      const action = (ours[1] ?? ours[2]) as string;
      const contexts = { steps, needs, vars: options.vars, env: { ...options.env, ...env }, github };
      const inputs: Record<string, string> = { ...options.extraInputs };
      for (const [name, value] of Object.entries(step.with ?? {}))
        inputs[name] = expand(String(value), contexts);
      const result = await runAction({
        actionDir: path.join(options.repoRoot, 'actions', action),
        cwd: options.repoRoot,
        inputs,
        env: { ...options.env, ...env },
        oidc: options.oidc,
        github: {
          repository: options.github.repository,
          runId: options.github.runId,
          ...(options.github.sha ? { sha: options.github.sha } : {}),
        },
        timeoutMs: 20 * 60_000,
      });
      const run = { job: jobName, step: label, action, result };
      runs.push(run);
      options.onStep?.(run);
      if (step.id) steps[step.id] = { outputs: result.outputs };
      if (result.conclusion !== 'success') return runs;
    }
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([name, value]) => [
        name,
        expand(value, { steps, needs, vars: options.vars, github }),
      ]),
    );
    needs[jobName] = { outputs };
  }
  return runs;
}
