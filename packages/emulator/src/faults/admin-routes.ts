// `/_emulator/*`: the test-facing control surface (no ARM auth, never subject to faults).
import { armError } from '../http/arm-errors';
import type { Route } from '../http/types';
import { applySettingsPatch, type IdentitySettings } from '../identity/settings';
import { type FaultRegistry, parseFaultSpec } from './fault-registry';
import type { RequestLog } from './request-log';

export const ADMIN_PATH = '/_emulator';

export interface AdminRoutesOptions {
  faults: FaultRegistry;
  requestLog: RequestLog;
  settings: IdentitySettings;
}

const badRequest = (problems: string[]) => armError(400, 'InvalidRequestContent', problems.join(' '));

export function createAdminRoutes({ faults, requestLog, settings }: AdminRoutesOptions): Route[] {
  return [
    {
      method: 'GET',
      pattern: `${ADMIN_PATH}/health`,
      handler: () => ({ status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'POST',
      pattern: `${ADMIN_PATH}/faults`,
      handler: (request) => {
        const parsed = parseFaultSpec(request.body);
        if ('problems' in parsed) return badRequest(parsed.problems);
        const fault = faults.add(parsed.spec);
        return { status: 201, body: { id: fault.id, fault } };
      },
    },
    {
      method: 'GET',
      pattern: `${ADMIN_PATH}/faults`,
      handler: () => ({ status: 200, body: { value: faults.list() } }),
    },
    {
      method: 'DELETE',
      pattern: `${ADMIN_PATH}/faults`,
      handler: () => ({ status: 200, body: { removed: faults.clear() } }),
    },
    {
      method: 'GET',
      pattern: `${ADMIN_PATH}/requests`,
      handler: () => ({ status: 200, body: { value: requestLog.list() } }),
    },
    {
      method: 'DELETE',
      pattern: `${ADMIN_PATH}/requests`,
      handler: () => {
        requestLog.clear();
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: `${ADMIN_PATH}/config`,
      handler: () => ({ status: 200, body: { ...settings } }),
    },
    {
      method: 'POST',
      pattern: `${ADMIN_PATH}/config`,
      handler: (request) => {
        const problems = applySettingsPatch(settings, request.body);
        if (problems.length > 0) return badRequest(problems);
        return { status: 200, body: { ...settings } };
      },
    },
  ];
}
