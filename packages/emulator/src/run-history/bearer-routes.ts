// The server gates only ARM paths (/subscriptions, …) with the bearer check; the MLflow and run
// history paths start with /mlflow and /history, so their routes carry the same check themselves.
import type { Route } from '../http/types';
import type { ArmAuthResult } from '../identity/arm-auth';

export type TokenCheck = (header: string | undefined, now: Date) => ArmAuthResult;

export function withBearerCheck(routes: Route[], check: TokenCheck, now: () => Date): Route[] {
  return routes.map((route) => ({
    ...route,
    handler: (request, params) => {
      const header = request.headers.authorization;
      const auth = check(Array.isArray(header) ? header[0] : header, now());
      if (!auth.ok) return auth.response;
      request.principal = auth.claims;
      return route.handler(request, params);
    },
  }));
}
