// Long-running operations as Azure ML reports them (recorded in online_services__…): an
// `Azure-AsyncOperation` status resource under /locations/{location}/mfeOperationsStatus/{id}
// answering {id, name, startTime, endTime, percentComplete, status}, and a `Location` result
// resource under mfeOperationResults/{id} answering 202 (+ Retry-After) until done, then 200/204.
import { randomUUID } from 'node:crypto';
import type { ArmContext } from '../arm-context';
import { armError } from '../http/arm-errors';
import type { EmulatorResponse, Route } from '../http/types';
import type { ApiVersion } from './api-version';
import { type ArmCall, subscriptionScoped } from './scope';
import { armTimestamp, armUrl, PROVIDER, workspaceGuid } from './workspace-identity';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface OperationRecord {
  name: string;
  kind: string;
  /** What the operation acts on, e.g. a job name. */
  target: string;
  startTime: string;
  endTime?: string;
  status: OperationStatus;
  error?: { code: string; message: string };
  /** Polls of the result URL still to answer 202 before the final answer. */
  pendingResultPolls: number;
  finalStatusCode: 200 | 204;
}

/** Re-evaluates an operation that is still InProgress (e.g. from the job it cancels). */
export type OperationResolver = (operation: OperationRecord) => Pick<OperationRecord, 'status' | 'error'>;

const COLLECTION = 'arm.operations';
const TERMINAL: readonly OperationStatus[] = ['Succeeded', 'Failed', 'Canceled'];
const OPERATION_RETENTION_IN_MS = 24 * 60 * 60 * 1000;

export interface StartOperationOptions {
  status?: OperationStatus;
  pendingResultPolls?: number;
  finalStatusCode?: 200 | 204;
  /** Short kind marker at the start of the operation name, as the service's `oe:`/`od:`. */
  prefix?: string;
}

export class Operations {
  private readonly resolvers = new Map<string, OperationResolver>();

  constructor(
    private readonly ctx: ArmContext,
    private readonly options: { retryAfterSeconds: number },
  ) {}

  /** Lets a resource module decide when its operations finish. */
  resolveWith(kind: string, resolver: OperationResolver): void {
    this.resolvers.set(kind, resolver);
  }

  start(kind: string, target: string, options: StartOperationOptions = {}): OperationRecord {
    this.prune();
    const now = armTimestamp(this.ctx.now());
    const status = options.status ?? 'InProgress';
    const record: OperationRecord = {
      name: `${options.prefix ?? 'op'}:${workspaceGuid(this.ctx)}:${randomUUID()}`,
      kind,
      target,
      startTime: now,
      status,
      pendingResultPolls: options.pendingResultPolls ?? 0,
      finalStatusCode: options.finalStatusCode ?? 200,
    };
    if (TERMINAL.includes(status)) record.endTime = now;
    return this.ctx.store.put(COLLECTION, record.name, record);
  }

  /** Forgets finished operations after a day, so persisted state does not grow without bound. */
  private prune(): void {
    const cutoff = this.ctx.now().getTime() - OPERATION_RETENTION_IN_MS;
    for (const record of this.ctx.store.list<OperationRecord>(COLLECTION)) {
      if (record.endTime && record.pendingResultPolls === 0 && Date.parse(record.endTime) < cutoff) {
        this.ctx.store.delete(COLLECTION, record.name);
      }
    }
  }

  private path(operation: OperationRecord, resource: 'mfeOperationsStatus' | 'mfeOperationResults'): string {
    return `/subscriptions/${this.ctx.subscriptionId}/providers/${PROVIDER}/locations/${this.ctx.location}/${resource}/${operation.name}`;
  }

  statusUrl(operation: OperationRecord, apiVersion: ApiVersion): string {
    return armUrl(this.ctx, this.path(operation, 'mfeOperationsStatus'), apiVersion);
  }

  resultUrl(operation: OperationRecord, apiVersion: ApiVersion): string {
    return armUrl(this.ctx, this.path(operation, 'mfeOperationResults'), apiVersion);
  }

  /** Headers of a 202 that hands the client a result URL to poll. */
  acceptedHeaders(operation: OperationRecord, apiVersion: ApiVersion): Record<string, string> {
    return {
      location: this.resultUrl(operation, apiVersion),
      'retry-after': String(this.options.retryAfterSeconds),
      'x-ms-async-operation-timeout': 'PT1H',
    };
  }

  /** The current state of an operation, re-evaluated while it runs. */
  refresh(name: string): OperationRecord | undefined {
    const record = this.ctx.store.get<OperationRecord>(COLLECTION, name);
    if (!record || TERMINAL.includes(record.status)) return record;
    const resolver = this.resolvers.get(record.kind);
    if (!resolver) return record;
    const next = resolver(record);
    if (next.status === record.status) return record;
    const updated: OperationRecord = { ...record, ...next };
    if (TERMINAL.includes(updated.status)) updated.endTime = armTimestamp(this.ctx.now());
    return this.ctx.store.put(COLLECTION, name, updated);
  }

  routes(): Route[] {
    const base = `/subscriptions/{subscriptionId}/providers/${PROVIDER}/locations/{location}`;
    return [
      {
        method: 'GET',
        pattern: `${base}/mfeOperationsStatus/{operationId}`,
        handler: subscriptionScoped(this.ctx, (call) => this.getStatus(call)),
      },
      {
        method: 'GET',
        pattern: `${base}/mfeOperationResults/{operationId}`,
        handler: subscriptionScoped(this.ctx, (call) => this.getResult(call)),
      },
    ];
  }

  private find(call: ArmCall): { operation: OperationRecord } | { response: EmulatorResponse } {
    const name = call.params.operationId ?? '';
    const sameLocation = call.params.location?.toLowerCase() === this.ctx.location.toLowerCase();
    const operation = sameLocation ? this.refresh(name) : undefined;
    if (operation) return { operation };
    return { response: armError(404, 'ResourceNotFound', `The operation '${name}' could not be found.`) };
  }

  private getStatus(call: ArmCall): EmulatorResponse {
    const found = this.find(call);
    if ('response' in found) return found.response;
    const { operation } = found;
    const body: Record<string, unknown> = {
      id: this.path(operation, 'mfeOperationsStatus'),
      name: operation.name,
      startTime: operation.startTime,
    };
    if (operation.endTime) body.endTime = operation.endTime;
    body.percentComplete = TERMINAL.includes(operation.status) ? 100.0 : 0.0;
    body.status = operation.status;
    if (operation.error) body.error = operation.error;
    return { status: 200, body };
  }

  private getResult(call: ArmCall): EmulatorResponse {
    const found = this.find(call);
    if ('response' in found) return found.response;
    const { operation } = found;
    if (operation.status === 'InProgress' || operation.pendingResultPolls > 0) {
      if (operation.pendingResultPolls > 0) {
        this.ctx.store.put(COLLECTION, operation.name, {
          ...operation,
          pendingResultPolls: operation.pendingResultPolls - 1,
        });
      }
      return { status: 202, headers: this.acceptedHeaders(operation, call.apiVersion) };
    }
    if (operation.status === 'Failed') {
      return armError(
        400,
        operation.error?.code ?? 'UserError',
        operation.error?.message ?? 'The operation failed.',
      );
    }
    return { status: operation.finalStatusCode };
  }
}
