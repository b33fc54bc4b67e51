/**
 * Route selection as an API Gateway HTTP API does it: the most specific route that matches a
 * request's method and path wins. Paths compare segment by segment from the left, and at the first
 * segment where two routes differ a literal (`/orders/open`) beats a parameter (`/orders/{id}`), which
 * beats a greedy parameter (`/orders/{proxy+}`). Between routes with the same path, the route for
 * the request's method beats `ANY`. A `{name}` matches one non-empty segment; a `{name+}` (last
 * segment only) matches one or more. Parameter values arrive percent-decoded.
 *
 * @module
 */
import { HTTP_METHODS } from '@kiro-serverless/model/constants';
import type { ServiceModel } from '@kiro-serverless/model/model';
import { InvalidRoutesError, type RouteIssue } from './errors.js';

/** A method a route may declare; `ANY` matches every method. */
export type HttpRouteMethod = (typeof HTTP_METHODS)[number];

/** One route of the API: `method path` invokes `functionId`. */
export interface HttpRoute {
  readonly functionId: string;
  readonly method: HttpRouteMethod;
  /** A route path as the spec writes it: `/orders`, `/orders/{id}`, `/files/{proxy+}`. */
  readonly path: string;
}

/** The route a request selected, and what its parameters captured. */
export interface RouteMatch {
  readonly route: HttpRoute;
  /** `POST /orders/{id}`, as API Gateway writes `routeKey`. */
  readonly routeKey: string;
  /** Decoded parameter values by name; empty when the route has no parameters. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: HttpRoute;
  readonly routeKey: string;
  readonly segments: readonly Segment[];
}

/** How specific a segment is: lower wins. */
const RANK: Readonly<Record<Segment['kind'], number>> = { literal: 0, param: 1, greedy: 2 };

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/** `/` is no segment at all; `/a/b` is `a`, `b`; `/a/` is `a` and an empty segment. */
const splitPath = (path: string): string[] => (path === '/' ? [] : path.slice(1).split('/'));

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // A stray `%` stays as sent.
  }
};

/** Parses a route path into segments, or says what is wrong with it. */
function parsePath(path: string): Segment[] | string {
  if (!path.startsWith('/')) return 'a path starts with "/"';
  const parts = splitPath(path);
  const segments: Segment[] = [];
  for (const [index, part] of parts.entries()) {
    const parameter = PARAMETER.exec(part);
    if (parameter) {
      const name = parameter[1] ?? '';
      const greedy = parameter[2] === '+';
      if (greedy && index !== parts.length - 1) return `the greedy parameter {${name}+} is not the last segment`;
      if (segments.some((s) => s.kind !== 'literal' && s.name === name)) return `the parameter {${name}} appears twice`;
      segments.push(greedy ? { kind: 'greedy', name } : { kind: 'param', name });
    } else if (LITERAL.test(part)) {
      segments.push({ kind: 'literal', value: part });
    } else {
      return `the segment "${part}" is neither letters, digits, ".", "_", "~", "-" nor a parameter like {id} or {proxy+}`;
    }
  }
  return segments;
}

/** Orders routes most specific first, so the first that matches a request is the one selected. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    if (sa === undefined || sb === undefined) break;
    const byKind = RANK[sa.kind] - RANK[sb.kind];
    if (byKind !== 0) return byKind;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length;
  return Number(a.route.method === 'ANY') - Number(b.route.method === 'ANY');
}

/** Captures the parameters of `route` from `parts` (the raw segments of a request path), or `undefined`. */
function capture(route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of route.segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index).join('/');
      if (rest === '') return undefined;
      parameters[segment.name] = decode(rest);
      return parameters;
    }
    const part = parts[index];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value && decode(part) !== segment.value) return undefined;
    } else {
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === route.segments.length ? parameters : undefined;
}

/**
 * The routes of one HTTP API, checked and ordered once, matched per request.
 *
 * @example
 * const table = new RouteTable([
 *   { functionId: 'getOrder', method: 'GET', path: '/orders/{id}' },
 *   { functionId: 'openOrders', method: 'GET', path: '/orders/open' },
 * ]);
 * table.match('GET', '/orders/open')?.route.functionId; // 'openOrders'
 * table.match('GET', '/orders/a%2Fb')?.pathParameters; // { id: 'a/b' }
 */
export class RouteTable {
  private readonly routes: readonly CompiledRoute[];

  /** @throws InvalidRoutesError listing every route that cannot be served. */
  constructor(routes: readonly HttpRoute[]) {
    const issues: RouteIssue[] = [];
    const compiled: CompiledRoute[] = [];
    const seen = new Map<string, string>();
    for (const route of routes) {
      const routeKey = `${route.method} ${route.path}`;
      const issue = (message: string): void => void issues.push({ functionId: route.functionId, route: routeKey, message });
      if (!(HTTP_METHODS as readonly string[]).includes(route.method)) {
        issue(`the method is not one of ${HTTP_METHODS.join(', ')}`);
        continue;
      }
      const segments = parsePath(route.path);
      if (typeof segments === 'string') {
        issue(segments);
        continue;
      }
      // Parameter names do not tell routes apart: `/orders/{id}` and `/orders/{orderId}` clash.
      const shape = `${route.method} /${segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? '{}' : '{+}')).join('/')}`;
      const owner = seen.get(shape);
      if (owner !== undefined) {
        issue(`the same requests already go to ${owner}`);
        continue;
      }
      seen.set(shape, route.functionId);
      compiled.push({ route, routeKey, segments });
    }
    if (issues.length > 0) throw new InvalidRoutesError(issues);
    this.routes = compiled.sort(bySpecificity);
  }

  /**
   * The route a request goes to, or `undefined` (API Gateway's 404).
   *
   * @param method the request method, upper case (`HEAD` and `OPTIONS` match only routes that declare them, or `ANY`)
   * @param rawPath the path as sent, percent-encoded, without the query string
   */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = splitPath(rawPath);
    for (const compiled of this.routes) {
      if (compiled.route.method !== 'ANY' && compiled.route.method !== method) continue;
      const pathParameters = capture(compiled, parts);
      if (pathParameters !== undefined) return { route: compiled.route, routeKey: compiled.routeKey, pathParameters };
    }
    return undefined;
  }
}

/**
 * The HTTP routes of a service: one per function whose trigger is `http`.
 *
 * @example
 * const front = await startHttpFront({ routes: httpRoutesOf(model), invoker, trace });
 */
export function httpRoutesOf(model: Pick<ServiceModel, 'functions'>): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const [functionId, fn] of Object.entries(model.functions)) {
    if (fn.trigger.type === 'http') routes.push({ functionId, method: fn.trigger.method, path: fn.trigger.path });
  }
  return routes;
}
