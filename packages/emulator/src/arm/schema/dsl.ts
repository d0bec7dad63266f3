// A small schema language for ARM request bodies, written from the deployment schemas and the
// type model in reference/: one description covers every api-version, with `since` marking what
// newer versions added, so an older api-version rejects it the way its contract would.
import type { ApiVersion } from '../api-version';

/** An enum value, optionally only valid from some api-version on. */
export type EnumValue = string | { value: string; since: ApiVersion };

export interface StringSchema {
  kind: 'string';
  enum?: readonly EnumValue[];
  /** Source text of the schema's pattern (unanchored patterns stay unanchored, as in the spec). */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

export interface IntegerSchema {
  kind: 'integer';
  minimum?: number;
}

export interface NumberSchema {
  kind: 'number';
}

export interface BooleanSchema {
  kind: 'boolean';
}

/** Free-form JSON (`any` in the type model); `object: true` still demands a JSON object. */
export interface AnySchema {
  kind: 'any';
  object?: boolean;
}

export interface MapSchema {
  kind: 'map';
  values: Schema;
}

export interface ArraySchema {
  kind: 'array';
  items: Schema;
}

export interface Property {
  schema: Schema;
  required?: boolean;
  /** First api-version whose contract has this property. */
  since?: ApiVersion;
}

export interface Variant {
  typeName: string;
  properties: Record<string, Property>;
  /** Read-only properties: accepted from clients and dropped, as ARM does. */
  readOnly?: readonly string[];
  since?: ApiVersion;
  /** Accept properties not described here unchecked (large sub-models the emulator does not model). */
  open?: boolean;
}

export interface ObjectSchema {
  kind: 'object';
  typeName: string;
  properties: Record<string, Property>;
  readOnly?: readonly string[];
  open?: boolean;
  /** Polymorphic objects: the discriminator property picks a variant whose properties add to these. */
  discriminator?: { property: string; variants: Record<string, Variant> };
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | AnySchema
  | MapSchema
  | ArraySchema
  | ObjectSchema;

export const str = (options: Omit<StringSchema, 'kind'> = {}): StringSchema => ({
  kind: 'string',
  ...options,
});
export const enumOf = (...values: EnumValue[]): StringSchema => ({ kind: 'string', enum: values });
export const int = (options: Omit<IntegerSchema, 'kind'> = {}): IntegerSchema => ({
  kind: 'integer',
  ...options,
});
export const num = (): NumberSchema => ({ kind: 'number' });
export const bool = (): BooleanSchema => ({ kind: 'boolean' });
export const any = (options: Omit<AnySchema, 'kind'> = {}): AnySchema => ({ kind: 'any', ...options });
export const mapOf = (values: Schema): MapSchema => ({ kind: 'map', values });
export const arrayOf = (items: Schema): ArraySchema => ({ kind: 'array', items });

export const required = (schema: Schema, since?: ApiVersion): Property => ({ schema, required: true, since });
export const optional = (schema: Schema, since?: ApiVersion): Property => ({ schema, since });

export function object(
  typeName: string,
  properties: Record<string, Property>,
  options: Pick<ObjectSchema, 'readOnly' | 'discriminator' | 'open'> = {},
): ObjectSchema {
  return { kind: 'object', typeName, properties, ...options };
}

export function variant(
  typeName: string,
  properties: Record<string, Property>,
  options: Pick<Variant, 'readOnly' | 'since' | 'open'> = {},
): Variant {
  return { typeName, properties, ...options };
}

/** The `[a-zA-Z0-9_]` pattern the spec puts on most required strings. */
export const WORD_PATTERN = '[a-zA-Z0-9_]';
/** GUIDs (client and tenant ids). */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$';

export const stringMap = (): MapSchema => mapOf(str());

/** Top level of a resource body: `properties` is required; ARM's read-only envelope is ignored. */
export function resourceBody(typeName: string, properties: Schema, extra: Record<string, Property> = {}) {
  return object(
    typeName,
    { properties: required(properties), ...extra },
    { readOnly: ['id', 'name', 'type', 'systemData'] },
  );
}

/** A non-empty string with at least one word character (names, ids). */
export const word = (): StringSchema => str({ minLength: 1, pattern: WORD_PATTERN });
