import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Action } from '../../shared/permissions';
import { parseInput } from './parseInput';

/** Who may call a route: anyone, any logged-in user, or holders of a permission. */
export type RouteAccess = 'public' | 'authenticated' | Action;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  method: Method;
  /** The full path as mounted, e.g. /api/users/:id. */
  path: string;
  access: RouteAccess;
  /**
   * The audit action a successful call writes. Every route that changes state
   * names one; the audit tests walk this table to check that it does.
   */
  audit?: string;
  /**
   * Other actions the route may record instead of `audit`, when the action is
   * named after what changed (a role change, a disable…). A call still writes
   * exactly one event.
   */
  auditVariants?: readonly string[];
}

type Schema = z.ZodType | undefined;

/** What a route declares: who may call it, what it audits, and the shapes of its path parameters, body and query. */
export interface RouteOptions<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined> {
  access: RouteAccess;
  audit?: string;
  auditVariants?: readonly string[];
  /** The request body's schema; a failure answers 400 `validation_failed` naming the field. */
  body?: B;
  /** The query string's schema, as for `body`. */
  query?: Q;
  /**
   * The path parameters' schema (`:id`…); required when the path has any. A
   * failure answers 400 `invalid_id` naming the parameter.
   */
  params?: P;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The parsed request a handler receives: each declared schema's output, or undefined. */
export interface RouteInput<B, Q, P = undefined> {
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
}

/** A route handler: Express's request and response plus the input the route table parsed. */
export type RouteHandler<B = undefined, Q = undefined, P = undefined> = (req: Request, res: Response, input: RouteInput<B, Q, P>) => unknown;

/** Builds the access-control middleware for a route; supplied by the app so that routers stay free of auth wiring. */
export type Guard = (spec: RouteSpec) => RequestHandler;

/**
 * A router that records every route it serves with its access rule, so the
 * authorization matrix and the audit coverage tests can be generated from the
 * real route table rather than a hand-kept list.
 */
export class Routes {
  readonly router = express.Router();
  readonly table: RouteSpec[] = [];

  constructor(
    readonly base: string,
    private readonly guard: Guard,
  ) {}

  private add<B extends Schema, Q extends Schema, P extends Schema>(method: Method, path: string, opts: RouteOptions<B, Q, P>, handler: RouteHandler<B, Q, P>) {
    const { body, query, params, ...rest } = opts;
    const spec: RouteSpec = { method, path: (this.base + (path === '/' ? '' : path)) || '/', ...rest };
    // A path parameter read without a schema would reach a service unchecked; refuse such a route when the app is built.
    if (/:\w/.test(path) && params === undefined) throw new Error(`Route ${method.toUpperCase()} ${spec.path} has path parameters but declares no params schema.`);
    this.table.push(spec);
    // Parsed once here, after the access check, so services receive typed input and never see raw requests.
    const run: RequestHandler = async (req, res) => {
      const input = {
        params: params === undefined ? undefined : parseInput(params, req.params, 'params', 'invalid_id'),
        body: body === undefined ? undefined : parseInput(body, req.body, 'body'),
        query: query === undefined ? undefined : parseInput(query, req.query, 'query'),
      } as RouteInput<B, Q, P>;
      await handler(req, res, input);
    };
    this.router[method](path, this.guard(spec), run);
  }

  get<Q extends Schema = undefined, P extends Schema = undefined>(path: string, opts: Omit<RouteOptions<undefined, Q, P>, 'body' | 'audit' | 'auditVariants'>, handler: RouteHandler<undefined, Q, P>) {
    this.add('get', path, opts, handler);
  }
  post<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(path: string, opts: RouteOptions<B, Q, P>, handler: RouteHandler<B, Q, P>) {
    this.add('post', path, opts, handler);
  }
  put<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(path: string, opts: RouteOptions<B, Q, P>, handler: RouteHandler<B, Q, P>) {
    this.add('put', path, opts, handler);
  }
  patch<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(path: string, opts: RouteOptions<B, Q, P>, handler: RouteHandler<B, Q, P>) {
    this.add('patch', path, opts, handler);
  }
  delete<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(path: string, opts: RouteOptions<B, Q, P>, handler: RouteHandler<B, Q, P>) {
    this.add('delete', path, opts, handler);
  }
}

export type { NextFunction, Request, Response };
