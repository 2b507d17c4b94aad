import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from '../../apps/api/src/auth/auth.decorators';
import type { TestApp } from './test-app';

export interface Route {
  method: string;
  path: string;
  access: 'public' | 'officer' | 'admin' | 'unclassified';
}

/** Every route of the application, read from the controllers' metadata, with how it is classified. */
export function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const marked = (key: string): unknown => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        const access = marked(PUBLIC_ROUTE) ? 'public' : ((marked(REQUIRED_ROLE) as Route['access'] | undefined) ?? 'unclassified');
        routes.push({ method, path: `/api/v1/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/\/$/, ''), access });
      }
    }
  }
  return routes;
}
