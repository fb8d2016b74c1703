import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressJson, pickEncoding } from '../src/http/compress.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.user('admin@compress.test', 'admin');
});
afterAll(async () => t.cleanup());

describe('JSON answers are compressed for clients that accept it', () => {
  // the provinces: about 2 KB of JSON
  const url = '/api/v1/regions';

  it('br first, then gzip; the same JSON once decoded; Vary names Accept-Encoding', async () => {
    const plain = await t.call(admin, 'GET', url);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThanOrEqual(1024);
    expect(String(plain.headers.vary)).toMatch(/Accept-Encoding/);

    const br = await t.call(admin, 'GET', url, undefined, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());

    const gz = await t.call(admin, 'GET', url, undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
  });

  it('leaves answers with an ETag, streams and other types as they are', async () => {
    const app = Fastify();
    compressJson(app);
    const big = { items: Array.from({ length: 100 }, (_, i) => ({ i, name: `item ${i}` })) };
    app.get('/tagged', async (_req, reply) => reply.header('etag', '"v1"').send(big));
    app.get('/stream', async (_req, reply) =>
      reply.type('application/json').send(Readable.from([JSON.stringify(big)])),
    );
    app.get('/csv', async (_req, reply) => reply.type('text/csv').send('a,b\n'.repeat(1000)));
    app.get('/json', async () => big);
    const get = (url: string) => app.inject({ url, headers: { 'accept-encoding': 'br' } });
    for (const url of ['/tagged', '/stream', '/csv']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBeUndefined();
    }
    expect((await get('/json')).headers['content-encoding']).toBe('br');
    await app.close();
  });

  it('leaves small answers and problems under 1 KB as they are', async () => {
    const small = await t.call(admin, 'GET', '/api/v1/me', undefined, { 'accept-encoding': 'br' });
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    const problem = await t.call(admin, 'GET', '/api/v1/regions?parent=99', undefined, {
      'accept-encoding': 'br',
    });
    expect(problem.statusCode).toBe(404);
    expect(problem.headers['content-encoding']).toBeUndefined();
    expect(problem.json().code).toBe('NOT_FOUND');
  });

  it('picks the encoding from Accept-Encoding, q=0 refusing one', () => {
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('BR')).toBe('br');
    expect(pickEncoding('gzip;q=0')).toBeNull();
  });
});
