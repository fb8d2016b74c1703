import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiBody, generateRow } from '../src/testing/generator.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.cleanup());

describe('registry smoke', () => {
  it('registers, lists masked, and counts in the summary', async () => {
    const admin = await t.user('admin@test.id', 'admin');
    const g = generateRow(1);
    const res = await t.call(admin, 'POST', '/api/v1/participants', apiBody(g));
    expect(res.statusCode, res.body).toBe(201);
    const list = await t.call(admin, 'GET', '/api/v1/participants');
    expect(list.json().total).toBe(1);
    expect(list.json().items[0].nik).toMatch(/^\d{4}\*{8}\d{4}$/);
    const s = await t.call(admin, 'GET', '/api/v1/stats/summary');
    expect(s.json().registered).toBe(1);
  });
});
