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

/** What a route declares: who may call it, what it audits, and the shapes of its body and query. */
export interface RouteOptions<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined> {
  access: RouteAccess;
  audit?: string;
  auditVariants?: readonly string[];
  /** The request body's schema; a failure answers 400 `validation_failed` naming the field. */
  body?: B;
  /** The query string's schema, as for `body`. */
  query?: Q;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The parsed request a handler receives: each declared schema's output, or undefined. */
export interface RouteInput<B, Q> {
  body: Parsed<B>;
  query: Parsed<Q>;
}

/** A route handler: Express's request and response plus the input the route table parsed. */
export type RouteHandler<B = undefined, Q = undefined> = (req: Request, res: Response, input: RouteInput<B, Q>) => unknown;

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

  private add<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(method: Method, path: string, opts: RouteOptions<B, Q>, handler: RouteHandler<B, Q>) {
    const { body, query, ...rest } = opts;
    const spec: RouteSpec = { method, path: (this.base + (path === '/' ? '' : path)) || '/', ...rest };
    this.table.push(spec);
    // Parsed once here, after the access check, so services receive typed input and never see raw requests.
    const run: RequestHandler = async (req, res) => {
      const input = {
        body: body === undefined ? undefined : parseInput(body, req.body, 'body'),
        query: query === undefined ? undefined : parseInput(query, req.query, 'query'),
      } as RouteInput<B, Q>;
      await handler(req, res, input);
    };
    this.router[method](path, this.guard(spec), run);
  }

  get<Q extends z.ZodType | undefined = undefined>(path: string, opts: Omit<RouteOptions<undefined, Q>, 'body' | 'audit' | 'auditVariants'>, handler: RouteHandler<undefined, Q>) {
    this.add('get', path, opts, handler);
  }
  post<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(path: string, opts: RouteOptions<B, Q>, handler: RouteHandler<B, Q>) {
    this.add('post', path, opts, handler);
  }
  put<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(path: string, opts: RouteOptions<B, Q>, handler: RouteHandler<B, Q>) {
    this.add('put', path, opts, handler);
  }
  patch<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(path: string, opts: RouteOptions<B, Q>, handler: RouteHandler<B, Q>) {
    this.add('patch', path, opts, handler);
  }
  delete<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(path: string, opts: RouteOptions<B, Q>, handler: RouteHandler<B, Q>) {
    this.add('delete', path, opts, handler);
  }
}

export type { NextFunction, Request, Response };
