// ARM systemData: who created or last changed a resource, taken from the verified token's claims.
import type { EmulatorRequest } from '../http/types';
import { armTimestamp } from './workspace-identity';

export interface SystemData {
  createdAt: string;
  createdBy: string;
  createdByType: string;
  lastModifiedAt?: string;
  lastModifiedBy?: string;
  lastModifiedByType?: string;
}

export interface Actor {
  name: string;
  type: 'Application' | 'User';
}

const claim = (claims: Record<string, unknown>, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
};

/** Service principals (app-only tokens) appear by id as 'Application'; people by name as 'User'. */
export function actorOf(request: Pick<EmulatorRequest, 'principal'>): Actor {
  const claims = request.principal ?? {};
  const userName = claim(claims, 'name', 'upn', 'unique_name', 'preferred_username');
  if (claims.idtyp !== 'app' && userName && claim(claims, 'upn', 'unique_name', 'preferred_username')) {
    return { name: userName, type: 'User' };
  }
  return { name: claim(claims, 'oid', 'appid', 'azp', 'sub') ?? 'aml-emulator', type: 'Application' };
}

export function createdSystemData(actor: Actor, now: Date, { withModified = true } = {}): SystemData {
  const at = armTimestamp(now);
  const data: SystemData = { createdAt: at, createdBy: actor.name, createdByType: actor.type };
  if (withModified)
    Object.assign(data, { lastModifiedAt: at, lastModifiedBy: actor.name, lastModifiedByType: actor.type });
  return data;
}

export function modifiedSystemData(previous: SystemData, actor: Actor, now: Date): SystemData {
  return {
    ...previous,
    lastModifiedAt: armTimestamp(now),
    lastModifiedBy: actor.name,
    lastModifiedByType: actor.type,
  };
}
