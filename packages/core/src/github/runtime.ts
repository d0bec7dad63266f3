// The runner adapter the actions' main.ts use: outputs, state, environment, the ID token, and how
// a failure is reported (a configuration problem as an annotation on the file at fault, a failed
// Azure call with what a support ticket needs, anything else with its cause chain).

import * as core from '@actions/core';
import { AzureRequestError, ConfigurationError } from '../errors';
import type { Annotation } from './logger';

/** How many `cause` links a failure report follows (causes can be cyclic). */
const MAX_CAUSE_DEPTH = 5;

export function setOutput(name: string, value: string | number | boolean): void {
  core.setOutput(name, String(value));
}

/** Saves a value for this action's post step. */
export function saveState(name: string, value: string): void {
  core.saveState(name, value);
}

/** A value the main step saved, or undefined when none was. */
export function getState(name: string): string | undefined {
  const value = core.getState(name);
  return value === '' ? undefined : value;
}

/** Sets an environment variable for this step (process.env) and the job's later steps. */
export function exportVariable(name: string, value: string): void {
  core.exportVariable(name, value);
}

/** A GitHub OIDC ID token for `audience` (needs `permissions: id-token: write`); masked by `@actions/core`. */
export function getIdToken(audience?: string): Promise<string> {
  return core.getIDToken(audience);
}

export interface FailureAnnotation extends Annotation {
  startColumn?: number;
}

export interface FailureReport {
  message: string;
  annotation: FailureAnnotation;
}

/** What `setFailed` prints for an error: the annotation's text and where it points. Pure. */
export function describeFailure(error: unknown): FailureReport {
  if (error instanceof ConfigurationError) {
    const annotation: FailureAnnotation = { title: 'Configuration error' };
    if (error.file !== undefined) {
      annotation.file = error.file;
      if (error.line !== undefined) {
        annotation.startLine = error.line;
        if (error.column !== undefined) annotation.startColumn = error.column;
      }
    }
    return { message: error.message + causeChain(error), annotation };
  }
  if (error instanceof AzureRequestError) {
    const details = [
      `status ${error.status}`,
      error.code ? `code ${error.code}` : undefined,
      `request id ${error.requestId ?? '(none returned)'}`,
      error.correlationId ? `correlation id ${error.correlationId}` : undefined,
    ].filter((part) => part !== undefined);
    const hint = error.transient
      ? '\nThe service was throttling or failing (a transient error): re-running the job may succeed.'
      : '';
    return {
      message: `${error.message}\n${details.join(', ')}${hint}${causeChain(error)}`,
      annotation: { title: `Azure request failed (${error.status}${error.code ? ` ${error.code}` : ''})` },
    };
  }
  if (error instanceof AggregateError) {
    const inner = error.errors.map((each, index) => `  ${index + 1}. ${messageOf(each)}`).join('\n');
    return { message: `${messageOf(error)}\n${inner}${causeChain(error)}`, annotation: {} };
  }
  return { message: messageOf(error) + causeChain(error), annotation: {} };
}

/** Reports `error` as an error annotation and makes the step fail (exit code 1). */
export function setFailed(error: unknown): void {
  const { message, annotation } = describeFailure(error);
  core.error(message, annotation);
  if (error instanceof Error && error.stack && !(error instanceof ConfigurationError)) {
    core.debug(error.stack);
  }
  process.exitCode = core.ExitCode.Failure;
}

/** Runs an action's main function, reporting any failure through `setFailed`. Never rejects. */
export async function runAction(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    setFailed(error);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function causeChain(error: unknown): string {
  const seen = new Set<unknown>([error]);
  let text = '';
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSE_DEPTH && !seen.has(cause); depth++) {
    seen.add(cause);
    text += `\nCaused by: ${messageOf(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
