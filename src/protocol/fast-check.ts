/**
 * A yes/no form of a zod schema, built from the schema itself, for the common case of a record
 * that passes: a first sync checks 11,000 records [R3] and zod, which may not compile itself to
 * code under the app's Content-Security-Policy (no eval), spends ~0.1 ms on each household.
 *
 * It answers true only where the schema would accept the value: every rule it meets is the
 * schema's own (its regexes, enum values, preprocess functions), read the way zod 4 reads them
 * (src/protocol/fast-check.test.ts holds the two side by side over mutated records). Where it meets
 * anything it does not know (a refine, a union, a trimmed string...) it gives up on the whole schema
 * (null), and that kind is checked by zod alone. A false is not a verdict: zod then says what is
 * wrong, with its own words.
 */
import type { z } from 'zod';

export type FastCheck = (value: unknown) => boolean;

/** The parts of zod 4's schema definitions read here (zod/v4/core schemas.js); anything else is not known. */
interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  // string formats carry their own check (z.iso.datetime)
  readonly check?: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly transform?: (value: unknown, payload: { value: unknown; issues: unknown[] }) => unknown;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly mode?: string;
  readonly partial?: boolean;
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
}

class Unknown extends Error {}

const internals = (schema: z.ZodType) =>
  (schema as unknown as { _zod: { def: Def; optin?: string; optout?: string; values?: ReadonlySet<unknown> } })._zod;

/** zod's util.isObject */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function patternCheck(pattern: RegExp | undefined, format: string | undefined): (s: string) => boolean {
  // Only the formats that are a bare regex test in zod; a stateful (g, y) regex would need its lastIndex reset.
  if (pattern === undefined || !(format === 'regex' || format === 'datetime' || format === 'date') || pattern.global || pattern.sticky) throw new Unknown();
  return (s) => pattern.test(s);
}

function stringCheck(def: Def): FastCheck {
  const tests: ((s: string) => boolean)[] = [];
  if (def.check !== undefined) {
    if (def.check !== 'string_format') throw new Unknown();
    tests.push(patternCheck(def.pattern, def.format));
  }
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'string_format') tests.push(patternCheck(c.pattern, c.format));
    else if (c.check === 'min_length' && typeof c.minimum === 'number') {
      const min = c.minimum;
      tests.push((s) => s.length >= min);
    } else throw new Unknown();
  }
  if (tests.length === 0) return (v) => typeof v === 'string';
  return (v) => typeof v === 'string' && tests.every((t) => t(v));
}

function numberCheck(def: Def): FastCheck {
  const tests: ((n: number) => boolean)[] = [];
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'number_format' && c.format === 'safeint') tests.push(Number.isSafeInteger);
    else if (c.check === 'greater_than' && typeof c.value === 'number') {
      const { value, inclusive } = c;
      tests.push(inclusive ? (n) => n >= value : (n) => n > value);
    } else throw new Unknown();
  }
  return (v) => typeof v === 'number' && Number.isFinite(v) && tests.every((t) => t(v));
}

function objectCheck(def: Def): FastCheck {
  if (def.shape === undefined || def.catchall !== undefined) throw new Unknown();
  const fields = Object.entries(def.shape).map(([key, schema]) => {
    const { optin, optout } = internals(schema);
    return { key, check: compile(schema), optin, absentOk: optin === 'optional' && optout === 'optional' };
  });
  return (v) => {
    if (!isObject(v)) return false;
    for (const f of fields) {
      // zod 4 (handlePropertyResult): an absent key passes only if the schema takes no input
      // there, and a schema that must have its key fails without one whatever it makes of undefined.
      if (!(f.key in v)) {
        if (f.absentOk) continue;
        if (f.optin === undefined) return false;
      }
      if (!f.check(v[f.key])) return false;
    }
    return true;
  };
}

/** z.record over an enum: every key of the enum, each value valid, and no other key (zod 4 is exhaustive here). */
function recordCheck(def: Def): FastCheck {
  const keys = def.keyType === undefined ? undefined : internals(def.keyType).values;
  if (keys === undefined || def.valueType === undefined || def.mode === 'loose' || def.partial === true) throw new Unknown();
  const names = [...keys];
  if (!names.every((k): k is string => typeof k === 'string' && k !== '__proto__')) throw new Unknown();
  const known = new Set<string>(names);
  const value = compile(def.valueType);
  return (v) => {
    if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const k of names) if (!value(v[k])) return false;
    for (const k in v) if (!known.has(k)) return false;
    return true;
  };
}

function compile(schema: z.ZodType): FastCheck {
  const zod = internals(schema);
  const def = zod.def;
  if (def.type !== 'string' && def.type !== 'number' && def.checks !== undefined && def.checks.length > 0) throw new Unknown();
  switch (def.type) {
    case 'string':
      return stringCheck(def);
    case 'number':
      return numberCheck(def);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'enum':
    case 'literal': {
      const values = zod.values;
      if (values === undefined) throw new Unknown();
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const element = compile(def.element!);
      return (v) => Array.isArray(v) && v.every((e) => element(e));
    }
    case 'object':
      return objectCheck(def);
    case 'record':
      return recordCheck(def);
    case 'pipe': {
      // z.preprocess: the schema's own function, then the schema it feeds.
      const transform = def.in === undefined ? undefined : internals(def.in).def;
      if (transform?.type !== 'transform' || typeof transform.transform !== 'function' || def.out === undefined) throw new Unknown();
      const fn = transform.transform;
      const out = compile(def.out);
      return (v) => {
        const payload = { value: v, issues: [] as unknown[] };
        const next = fn(v, payload);
        return payload.issues.length === 0 && !(next instanceof Promise) && out(next);
      };
    }
    default:
      throw new Unknown();
  }
}

/** The schema's yes/no form, or null when it holds a rule this does not read (zod alone checks it then). */
export function fastCheckOf(schema: z.ZodType): FastCheck | null {
  try {
    return compile(schema);
  } catch (e) {
    if (e instanceof Unknown) return null;
    throw e;
  }
}
