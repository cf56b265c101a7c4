#!/usr/bin/env node
// Stands in for a Backstage backend's proxy in the dev app: forwards
// /api/proxy/genai-portal/* to the portal and adds its bearer token, as the app-config entry
// `proxy.endpoints['/genai-portal']` does in a real Backstage.
//
//   GENAI_PORTAL_URL=http://127.0.0.1:8000 GENAI_PORTAL_TOKEN=... DEV_PROXY_PORT=7007 \
//     DEV_APP_ORIGIN=http://localhost:3000 node dev/proxy.mjs
import http from 'node:http';

const PREFIX = '/api/proxy/genai-portal';

export function startProxy({ target, token, port, host = '127.0.0.1', appOrigin }) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': appOrigin ?? req.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'authorization, content-type, x-requested-with',
      'access-control-allow-methods': 'GET, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (!req.url?.startsWith(`${PREFIX}/`)) {
      res.writeHead(404, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify({ error: { name: 'NotFoundError', message: 'no such proxy endpoint' } }));
      return;
    }
    const path = req.url.slice(PREFIX.length);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port || 80,
        method: req.method,
        path,
        headers: {
          accept: req.headers.accept ?? '*/*',
          authorization: `Bearer ${token}`,
        },
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
          ...cors,
        });
        answer.pipe(res);
      },
    );
    forward.on('error', err => {
      res.writeHead(502, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify({ error: { name: 'ProxyError', message: err.message } }));
    });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.env.GENAI_PORTAL_URL ?? 'http://127.0.0.1:8000';
  const token = process.env.GENAI_PORTAL_TOKEN;
  if (!token) {
    console.error('GENAI_PORTAL_TOKEN is not set');
    process.exit(2);
  }
  const port = Number(process.env.DEV_PROXY_PORT ?? 7007);
  await startProxy({ target, token, port, appOrigin: process.env.DEV_APP_ORIGIN });
  console.log(`dev proxy on http://127.0.0.1:${port}${PREFIX} -> ${target}`);
}
