import { Router } from 'express';
import { openApiText } from '../openapi/openapi-document';

/** The description's path, without regard to case as every path of the service. */
export const openApiPath = /^\/chatservice\/openapi\.json(?:\?|$)/i;

/** `GET /ChatService/openapi.json`: the OpenAPI 3.1 description, made at the first request. */
export function openApiRoute(version: string): Router {
  const router = Router();
  let text: string | undefined;
  router.get('/ChatService/openapi.json', (_req, res) => {
    text ??= openApiText(version);
    res.set({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.send(text);
  });
  return router;
}
