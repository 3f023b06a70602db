/**
 * The Condition block of a RAM policy statement: the documented operators (RAM "Conditional
 * operators": string, number, date and time, Boolean, IP address) applied to the request's
 * condition keys (`acs:SourceIp`, `acs:CurrentTime`, `acs:SecureTransport`, `acs:MFAPresent`,
 * `acs:ResourceTag/<key>`, `acs:RequestTag/<key>`, `ecs:tag/<key>`). Pure: the caller builds the
 * context.
 *
 * Semantics, as RAM documents them: several operators in one block must all hold; several keys
 * under one operator must all hold; several values under one key match if any does. A key the
 * request does not carry makes a positive operator false and a negated one (`StringNotEquals`,
 * `NotIpAddress`, …) true.
 */
import ipaddr from 'ipaddr.js';

/** Condition keys of a request: a key names its values (a tag key may carry one value, a list key several). */
export type ConditionContext = ReadonlyMap<string, readonly string[]>;

/**
 * Condition keys compare case-insensitively in their namespace and name (`acs:sourceip`), but a
 * tag key after the slash is the user's own and keeps its case.
 */
export function normalizeConditionKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
}

type Kind = 'string' | 'numeric' | 'date' | 'bool' | 'ip';

interface Operator {
  kind: Kind;
  negated: boolean;
  /** Whether one request value matches one policy value. */
  test(actual: string, expected: string): boolean;
}

const wildcardCache = new Map<string, RegExp>();

/** `*` any run of characters (empty too), `?` exactly one: RAM's wildcards in StringLike, Action and Resource. */
export function wildcardRegExp(pattern: string, ignoreCase = false): RegExp {
  const cacheKey = (ignoreCase ? 'i:' : 's:') + pattern;
  let re = wildcardCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (wildcardCache.size > 10_000) wildcardCache.clear();
    wildcardCache.set(cacheKey, re);
  }
  return re;
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));

function cmp(parse: (s: string) => number, ok: (a: number, b: number) => boolean) {
  return (actual: string, expected: string) => {
    const a = parse(actual);
    const b = parse(expected);
    return !Number.isNaN(a) && !Number.isNaN(b) && ok(a, b);
  };
}

function inRange(actual: string, expected: string): boolean {
  try {
    const addr = ipaddr.process(actual.trim());
    const [net, bits] = expected.includes('/') ? ipaddr.parseCIDR(expected.trim()) : [ipaddr.process(expected.trim()), -1];
    const range = net.kind() === 'ipv4' ? net : (net as ipaddr.IPv6).isIPv4MappedAddress() ? (net as ipaddr.IPv6).toIPv4Address() : net;
    if (addr.kind() !== range.kind()) return false;
    if (bits < 0) return addr.toString() === range.toString();
    return addr.match(range as never, bits);
  } catch {
    return false;
  }
}

const eq = (a: number, b: number) => a === b;
const same = (a: string, b: string) => a === b;
const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const like = (a: string, b: string) => wildcardRegExp(b).test(a);
const isTrue = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const op = (kind: Kind, test: Operator['test'], negated = false): Operator => ({ kind, test, negated });

/** The operators, by their documented names (matched case-insensitively). */
export const OPERATORS: Record<string, Operator> = {
  StringEquals: op('string', same),
  StringNotEquals: op('string', same, true),
  StringEqualsIgnoreCase: op('string', sameIgnoringCase),
  StringNotEqualsIgnoreCase: op('string', sameIgnoringCase, true),
  StringLike: op('string', like),
  StringNotLike: op('string', like, true),
  NumericEquals: op('numeric', cmp(num, eq)),
  NumericNotEquals: op('numeric', cmp(num, eq), true),
  NumericLessThan: op('numeric', cmp(num, (a, b) => a < b)),
  NumericLessThanEquals: op('numeric', cmp(num, (a, b) => a <= b)),
  NumericGreaterThan: op('numeric', cmp(num, (a, b) => a > b)),
  NumericGreaterThanEquals: op('numeric', cmp(num, (a, b) => a >= b)),
  DateEquals: op('date', cmp(date, eq)),
  DateNotEquals: op('date', cmp(date, eq), true),
  DateLessThan: op('date', cmp(date, (a, b) => a < b)),
  DateLessThanEquals: op('date', cmp(date, (a, b) => a <= b)),
  DateGreaterThan: op('date', cmp(date, (a, b) => a > b)),
  DateGreaterThanEquals: op('date', cmp(date, (a, b) => a >= b)),
  Bool: op('bool', isTrue),
  IpAddress: op('ip', inRange),
  NotIpAddress: op('ip', inRange, true),
};

const BY_LOWER = new Map(Object.entries(OPERATORS).map(([name, o]) => [name.toLowerCase(), { name, o }]));

export function operatorNamed(name: string): { name: string; o: Operator } | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/**
 * Keys whose value comes from the connection or the clock rather than from the store: a decision
 * that reads one of them cannot be kept in a cache keyed by the store version alone.
 */
export const CONTEXT_KEYS = new Set(['acs:sourceip', 'acs:currenttime', 'acs:securetransport', 'acs:mfapresent', 'acs:sourcevpc', 'acs:accessid']);

/** One compiled `operator: { key: values }` pair. */
export interface Condition {
  operator: string;
  key: string;
  values: string[];
}

/** Why a Condition block is not valid, or undefined. */
export function conditionBlockError(block: unknown): string | undefined {
  if (!block || typeof block !== 'object' || Array.isArray(block)) return 'Condition must be a JSON object of operators.';
  for (const [opName, keys] of Object.entries(block)) {
    const found = operatorNamed(opName);
    if (!found) return `Condition operator "${opName}" is not supported.`;
    if (!keys || typeof keys !== 'object' || Array.isArray(keys) || Object.keys(keys).length === 0) {
      return `Condition operator "${opName}" must map condition keys to values.`;
    }
    for (const [key, raw] of Object.entries(keys)) {
      if (!/^[A-Za-z0-9-]+:[^\s]+$/.test(key)) return `Condition key "${key}" is not of the form "<service>:<name>".`;
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0) return `Condition key "${key}" has no value.`;
      for (const v of values) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return `Condition key "${key}" has a value that is not a string, number or boolean.`;
        const s = String(v);
        const kind = found.o.kind;
        if (kind === 'numeric' && Number.isNaN(num(s))) return `Condition ${found.name} of "${key}": "${s}" is not a number.`;
        if (kind === 'date' && Number.isNaN(date(s))) return `Condition ${found.name} of "${key}": "${s}" is not an ISO 8601 time.`;
        if (kind === 'bool' && !/^(true|false)$/i.test(s)) return `Condition Bool of "${key}": "${s}" is not true or false.`;
        if (kind === 'ip' && !validIpOrCidr(s)) return `Condition ${found.name} of "${key}": "${s}" is not an IP address or CIDR block.`;
      }
    }
  }
  return undefined;
}

function validIpOrCidr(s: string): boolean {
  try {
    if (s.includes('/')) ipaddr.parseCIDR(s);
    else ipaddr.process(s);
    return true;
  } catch {
    return false;
  }
}

/** A validated block as a flat list (the block must have passed conditionBlockError). */
export function compileConditions(block: Record<string, Record<string, unknown>> | undefined): Condition[] {
  if (!block) return [];
  const out: Condition[] = [];
  for (const [opName, keys] of Object.entries(block)) {
    const found = operatorNamed(opName)!;
    for (const [key, raw] of Object.entries(keys)) {
      out.push({ operator: found.name, key: normalizeConditionKey(key), values: (Array.isArray(raw) ? raw : [raw]).map(String) });
    }
  }
  return out;
}

export function conditionHolds(c: Condition, ctx: ConditionContext): boolean {
  const o = OPERATORS[c.operator]!;
  const actual = ctx.get(c.key);
  if (!actual || actual.length === 0) return o.negated;
  const matches = actual.some((a) => c.values.some((v) => o.test(a, v)));
  return o.negated ? !matches : matches;
}

export function allConditionsHold(conditions: readonly Condition[], ctx: ConditionContext): boolean {
  for (const c of conditions) if (!conditionHolds(c, ctx)) return false;
  return true;
}
