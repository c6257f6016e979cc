import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA, type AccessRequirement } from '../../src/platform/access/access.decorators';

export interface RouteInfo {
  method: string;
  path: string;
  requirement: AccessRequirement | undefined;
  handler: string;
}

const joinPath = (...parts: string[]) =>
  `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;

/** Every route of every controller in the app, with the access requirement it declares. */
export function routeTable(app: INestApplication): RouteInfo[] {
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of controllers) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller) continue;
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[];
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const requirement =
        (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessRequirement | undefined) ??
        (Reflect.getMetadata(ACCESS_METADATA, controller) as AccessRequirement | undefined);
      for (const b of [base].flat()) {
        for (const p of [path].flat()) {
          routes.push({ method: RequestMethod[method], path: joinPath(b, p), requirement, handler: `${controller.name}.${name}` });
        }
      }
    }
  }
  return routes;
}
