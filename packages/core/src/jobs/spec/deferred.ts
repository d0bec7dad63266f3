// Checking and resolving are two passes: the checks build the REST body with Deferred leaves where
// the workspace must answer (ARM ids, uploads), and only once the whole job is known to be valid are
// those leaves resolved, so bad YAML never causes an upload or a registration.
import type { ReferenceResolver } from './types';

export interface ResolveContext {
  resolver: ReferenceResolver;
  /** Resolves the Deferred leaves of a value (e.g. a component spec's code and environment). */
  resolve(value: unknown): Promise<unknown>;
  /** `/subscriptions/…/workspaces/<ws>` of the first workspace-scoped ARM id resolved so far. */
  workspaceScope(): string | undefined;
}

export class Deferred {
  /** Equal keys are resolved once (e.g. the same code folder used by three steps). */
  readonly key: string;
  readonly run: (context: ResolveContext) => Promise<unknown>;
  /** Resolved after every other leaf (it needs their answers, e.g. the workspace scope). */
  readonly late: boolean;

  constructor(
    key: string,
    run: (context: ResolveContext) => Promise<unknown>,
    options: { late?: boolean } = {},
  ) {
    this.key = key;
    this.run = run;
    this.late = options.late ?? false;
  }
}

const WORKSPACE_SCOPE =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+)\//i;

/** The value with every Deferred replaced by its answer, in document order; undefined members dropped. */
export async function resolveDeferred(value: unknown, resolver: ReferenceResolver): Promise<unknown> {
  const answers = new Map<string, Promise<unknown>>();
  let scope: string | undefined;
  const context = (late: boolean): ResolveContext => ({
    resolver,
    resolve: (inner) => walk(inner, late),
    workspaceScope: () => scope,
  });
  const walk = async (node: unknown, late: boolean): Promise<unknown> => {
    if (node instanceof Deferred) {
      if (node.late && !late) return node;
      let answer = answers.get(node.key);
      if (answer === undefined) {
        answer = node.run(context(late));
        answers.set(node.key, answer);
      }
      const resolved = await answer;
      if (scope === undefined && typeof resolved === 'string') scope = WORKSPACE_SCOPE.exec(resolved)?.[1];
      return resolved;
    }
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      for (const item of node) items.push(await walk(item, late));
      return items;
    }
    if (typeof node === 'object' && node !== null) {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        const resolved = await walk(item, late);
        if (resolved !== undefined) result[key] = resolved;
      }
      return result;
    }
    return node;
  };
  return walk(await walk(value, false), true);
}
