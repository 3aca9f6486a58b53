// GET /openapi.json (the OpenAPI 3.1 description of API.md §2, §3 and §7) and GET /docs, its
// reading page, rendered here from the document with a local stylesheet. No token needed.
import { Hono } from 'hono';
import { openApiDocument } from '../openapi/document.ts';
import { DOCS_CSS, renderDocs } from '../openapi/render.ts';
import type { AppEnv } from '../context.ts';

export function docsRoutes() {
  const app = new Hono<AppEnv>();
  let page: string | undefined;
  app.get('/openapi.json', (c) => c.json(openApiDocument(), 200, { 'cache-control': 'public, max-age=300' }));
  app.get('/docs', (c) => {
    page ??= renderDocs(openApiDocument());
    return c.html(page, 200, { 'cache-control': 'public, max-age=300', 'content-security-policy': "default-src 'none'; style-src 'self'" });
  });
  app.get('/docs/style.css', (c) => c.body(DOCS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }));
  return app;
}
