import type { Route, RouteParams } from './types';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export interface RouteMatch {
  route: Route;
  params: RouteParams;
}

export interface RouterLookup {
  match?: RouteMatch;
  /** True when the path exists for another method (405 rather than 404). */
  pathExists: boolean;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/** Matches paths against `{param}` patterns; literal segments compare case-insensitively. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) this.routes.push({ route, segments: splitPath(route.pattern) });
    return this;
  }

  lookup(method: string, path: string): RouterLookup {
    const segments = splitPath(path);
    let pathExists = false;
    for (const compiled of this.routes) {
      const params = matchSegments(compiled.segments, segments);
      if (!params) continue;
      if (compiled.route.method.toUpperCase() === method.toUpperCase()) {
        return { match: { route: compiled.route, params }, pathExists: true };
      }
      pathExists = true;
    }
    return { pathExists };
  }
}

function matchSegments(pattern: string[], actual: string[]): RouteParams | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const value = actual[i] as string;
    if (expected.startsWith('{') && expected.endsWith('}')) {
      params[expected.slice(1, -1)] = value;
    } else if (expected.toLowerCase() !== value.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
