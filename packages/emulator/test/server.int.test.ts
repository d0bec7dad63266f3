// The HTTPS shell on its own (real TLS server on loopback, test routers): dispatch, ARM-style
// 404/405/500 answers, body handling, and a shutdown that keep-alive clients cannot hold open.
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../../../test/support/https';
import { FaultRegistry } from '../src/faults/fault-registry';
import { RequestLog } from '../src/faults/request-log';
import { armError } from '../src/http/arm-errors';
import { Router } from '../src/http/router';
import type { EmulatorRequest } from '../src/http/types';
import {
  armNotFound,
  createRequestListener,
  type HttpsServerHandle,
  listenHttps,
  parseBody,
} from '../src/server';
import { generateTlsMaterial, type TlsMaterial } from '../src/tls/certificates';

const WS = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/{ws}';

describe('server', () => {
  let tls: TlsMaterial;
  let server: HttpsServerHandle;
  let base: string;
  const logged: string[] = [];
  const seen: EmulatorRequest[] = [];

  beforeAll(async () => {
    tls = await generateTlsMaterial();
    const armRouter = new Router().add(
      {
        method: 'GET',
        pattern: WS,
        handler: (req, params) => {
          seen.push(req);
          return { status: 200, body: { name: params.ws, principal: req.principal } };
        },
      },
      {
        method: 'PUT',
        pattern: WS,
        handler: (req) => {
          seen.push(req);
          return { status: 201, body: req.body };
        },
      },
      {
        method: 'GET',
        pattern: `${WS}/boom`,
        handler: () => {
          throw new Error('handler exploded');
        },
      },
    );
    const publicRouter = new Router().add(
      { method: 'GET', pattern: '/text', handler: () => ({ status: 200, body: 'plain' }) },
      { method: 'GET', pattern: '/bytes', handler: () => ({ status: 200, body: Buffer.from([1, 2, 3]) }) },
      { method: 'POST', pattern: '/form', handler: (req) => ({ status: 200, body: req.body }) },
    );
    const listener = createRequestListener({
      adminRouter: new Router(),
      publicRouter,
      armRouter,
      verifyArmToken: (header) =>
        header === 'Bearer good'
          ? { ok: true, claims: { oid: 'me' } }
          : { ok: false, response: armError(401, 'AuthenticationFailed', 'no') },
      faults: new FaultRegistry(),
      requestLog: new RequestLog(),
      now: () => new Date(),
      log: (line) => logged.push(line),
    });
    server = await listenHttps({
      key: tls.serverKeyPem,
      cert: tls.serverCertPem,
      host: '127.0.0.1',
      port: 0,
      listener,
    });
    base = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  const auth = { Authorization: 'Bearer good' };
  const wsPath = (name: string, suffix = '') =>
    `${base}${WS.replace('{ws}', name)}${suffix}?api-version=2022-10-01`;

  it('routes ARM paths after auth and hands the principal and params to the handler', async () => {
    const response = await httpsRequest(wsPath('ws1'), { ca: tls.caCertPem, headers: auth });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ name: 'ws1', principal: { oid: 'me' } });
    expect(seen.at(-1)?.query.get('api-version')).toBe('2022-10-01');
  });

  it('answers the auth rejection before any ARM routing', async () => {
    const response = await httpsRequest(wsPath('ws1'), { ca: tls.caCertPem });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('AuthenticationFailed');
  });

  it('parses JSON bodies, and answers 400 InvalidRequestContent for broken JSON on ARM paths', async () => {
    const ok = await httpsRequest(wsPath('ws1'), {
      method: 'PUT',
      ca: tls.caCertPem,
      headers: auth,
      body: { a: [1] },
    });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({ a: [1] });
    const broken = await httpsRequest(wsPath('ws1'), {
      method: 'PUT',
      ca: tls.caCertPem,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{"a":',
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe('InvalidRequestContent');
  });

  it('answers 405 for a known path with another method', async () => {
    const response = await httpsRequest(wsPath('ws1'), {
      method: 'DELETE',
      ca: tls.caCertPem,
      headers: auth,
    });
    expect(response.status).toBe(405);
    expect(response.json.error.code).toBe('HttpMethodNotAllowed');
  });

  it('answers 404 InvalidResourceType for an unknown ML type and NotFound elsewhere', async () => {
    const unknownType = await httpsRequest(wsPath('ws1', '/gizmos/g1'), { ca: tls.caCertPem, headers: auth });
    expect(unknownType.status).toBe(404);
    expect(unknownType.json.error).toEqual({
      code: 'InvalidResourceType',
      message:
        "The resource type 'workspaces/gizmos' could not be found in the namespace 'Microsoft.MachineLearningServices' for api version '2022-10-01'.",
    });
    const elsewhere = await httpsRequest(`${base}/subscriptions/s/whatever`, {
      ca: tls.caCertPem,
      headers: auth,
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error.code).toBe('NotFound');
    const nonArm = await httpsRequest(`${base}/nothing/here`, { ca: tls.caCertPem });
    expect(nonArm.status).toBe(404);
    expect(nonArm.json.error.code).toBe('NotFound');
  });

  it('turns a handler exception into 500 InternalServerError and logs the stack', async () => {
    const response = await httpsRequest(wsPath('ws1', '/boom'), { ca: tls.caCertPem, headers: auth });
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe('InternalServerError');
    expect(response.headers['x-ms-failure-cause']).toBe('service');
    expect(
      logged.some((line) => line.includes('handler exploded') && line.includes('server.int.test.ts')),
    ).toBe(true);
  });

  it('serialises strings as text, Buffers as bytes, parses forms, and sends no body to HEAD', async () => {
    const text = await httpsRequest(`${base}/text`, { ca: tls.caCertPem });
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe('plain');
    const bytes = await httpsRequest(`${base}/bytes`, { ca: tls.caCertPem });
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect(bytes.headers['content-length']).toBe('3');
    const form = await httpsRequest(`${base}/form`, {
      method: 'POST',
      ca: tls.caCertPem,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two+words',
    });
    expect(form.json).toEqual({ a: '1', b: 'two words' });
    const head = await httpsRequest(wsPath('ws1'), { method: 'HEAD', ca: tls.caCertPem, headers: auth });
    expect(head.status).toBe(405);
    expect(head.text).toBe('');
  });

  it('closes promptly even with an idle keep-alive connection open', async () => {
    const own = await listenHttps({
      key: tls.serverKeyPem,
      cert: tls.serverCertPem,
      host: '127.0.0.1',
      port: 0,
      listener: (_req, res) => res.end('ok'),
    });
    const agent = new Agent({ keepAlive: true, ca: tls.caCertPem });
    await new Promise<void>((resolve, reject) => {
      request(`https://127.0.0.1:${own.port}/`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      })
        .on('error', reject)
        .end();
    });
    expect(Object.keys(agent.freeSockets).length).toBe(1);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });
});

describe('parseBody', () => {
  it.each([
    ['application/json', '{"a":1}', { ok: true, body: { a: 1 } }],
    ['application/merge-patch+json', '{"a":1}', { ok: true, body: { a: 1 } }],
    ['application/json', '', { ok: true, body: undefined }],
    ['application/x-www-form-urlencoded', 'x=1', { ok: true, body: { x: '1' } }],
    ['application/octet-stream', 'raw', { ok: true, body: undefined }],
    [undefined, '{"a":1}', { ok: true, body: undefined }],
  ])('%s %j', (type, raw, expected) => {
    expect(parseBody(type, Buffer.from(raw))).toEqual(expected);
  });

  it('reports broken JSON', () => {
    expect(parseBody('application/json', Buffer.from('{'))).toMatchObject({ ok: false });
  });
});

describe('armNotFound', () => {
  it.each([
    [
      '/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/widgets',
      'InvalidResourceType',
      "'widgets'",
    ],
    [
      '/subscriptions/s/resourceGroups/r/providers/microsoft.machinelearningservices/workspaces/w/x/y/z',
      'InvalidResourceType',
      "'workspaces/x/z'",
    ],
    [
      '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a',
      'NotFound',
      'Microsoft.Storage',
    ],
  ])('%s → %s', (path, code, fragment) => {
    const body = armNotFound(path, '2022-10-01').body as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toContain(fragment);
  });
});
