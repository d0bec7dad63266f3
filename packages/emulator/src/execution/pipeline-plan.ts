// A pipeline's steps as a DAG: which step waits for which, from the
// `${{parent.jobs.<step>.outputs.<o>}}` bindings of the node inputs. Pure.
import { BindingError, parsePipelineBinding } from './bindings';

type Json = Record<string, unknown>;

export interface PipelineStep {
  name: string;
  node: Json;
  /** Steps whose outputs this step reads. */
  dependsOn: string[];
}

/** The binding text of a node input, whatever casing the client used. */
export function nodeInputValue(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const value = (input as Json).value ?? (input as Json).uri;
  return value;
}

/** The steps in a dependency-respecting order. Throws BindingError for unknown steps or cycles. */
export function planPipeline(jobs: Record<string, unknown>): PipelineStep[] {
  const names = Object.keys(jobs);
  const steps = new Map<string, PipelineStep>();
  for (const name of names) {
    const node = (jobs[name] ?? {}) as Json;
    const dependsOn = new Set<string>();
    for (const [inputName, input] of Object.entries((node.inputs as Json | undefined) ?? {})) {
      const binding = parsePipelineBinding(nodeInputValue(input));
      if (binding?.kind !== 'step-output') continue;
      if (!(binding.step in jobs)) {
        throw new BindingError(
          `Step '${name}' input '${inputName}' is bound to step '${binding.step}', which the pipeline does not have (steps: ${names.join(', ')}).`,
        );
      }
      if (binding.step === name)
        throw new BindingError(`Step '${name}' input '${inputName}' reads its own output.`);
      dependsOn.add(binding.step);
    }
    steps.set(name, { name, node, dependsOn: [...dependsOn] });
  }

  const ordered: PipelineStep[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new BindingError(
        `The pipeline's steps depend on each other in a cycle: ${[...chain, name].join(' → ')}.`,
      );
    }
    state.set(name, 'visiting');
    const step = steps.get(name) as PipelineStep;
    for (const dependency of step.dependsOn) visit(dependency, [...chain, name]);
    state.set(name, 'done');
    ordered.push(step);
  };
  for (const name of names) visit(name, []);
  return ordered;
}

export type StepState = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

/** Which pending steps can start now, and which can never run because a dependency did not complete. */
export function nextSteps(
  steps: readonly PipelineStep[],
  states: ReadonlyMap<string, StepState>,
): { start: string[]; skip: string[] } {
  const start: string[] = [];
  const skip: string[] = [];
  for (const step of steps) {
    if (states.get(step.name) !== 'pending') continue;
    const dependencies = step.dependsOn.map((name) => states.get(name));
    if (dependencies.some((state) => state === 'failed' || state === 'skipped')) skip.push(step.name);
    else if (dependencies.every((state) => state === 'completed')) start.push(step.name);
  }
  return { start, skip };
}
