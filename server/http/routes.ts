import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Action } from '../policy/permissions';

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

  private add(method: Method, path: string, opts: { access: RouteAccess; audit?: string; auditVariants?: readonly string[] }, handlers: RequestHandler[]) {
    const spec: RouteSpec = { method, path: (this.base + (path === '/' ? '' : path)) || '/', ...opts };
    this.table.push(spec);
    this.router[method](path, this.guard(spec), ...handlers);
  }

  get(path: string, opts: { access: RouteAccess }, ...h: RequestHandler[]) {
    this.add('get', path, opts, h);
  }
  post(path: string, opts: { access: RouteAccess; audit?: string; auditVariants?: readonly string[] }, ...h: RequestHandler[]) {
    this.add('post', path, opts, h);
  }
  put(path: string, opts: { access: RouteAccess; audit?: string; auditVariants?: readonly string[] }, ...h: RequestHandler[]) {
    this.add('put', path, opts, h);
  }
  patch(path: string, opts: { access: RouteAccess; audit?: string; auditVariants?: readonly string[] }, ...h: RequestHandler[]) {
    this.add('patch', path, opts, h);
  }
  delete(path: string, opts: { access: RouteAccess; audit?: string; auditVariants?: readonly string[] }, ...h: RequestHandler[]) {
    this.add('delete', path, opts, h);
  }
}

export type { NextFunction, Request, Response };
