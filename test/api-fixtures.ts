/**
 * Shared builders for the API integration tests (test/api-*.test.ts): valid participant bodies in chosen villages,
 * NIKs that agree with a birth date and sex, and small assertion helpers for problem+json answers.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { wibDate } from '../src/core/clock.ts';
import type { Services } from '../src/core/context.ts';
import { createParticipant } from '../src/modules/participants/commands.ts';
import { sysCtx } from './helpers.ts';

/** Villages used by the tests (dotted Kemendagri codes). */
export const V = {
  gambir: '31.71.01.1001', // Jakarta Pusat / Gambir
  cideng: '31.71.01.1002', // Jakarta Pusat / Gambir
  pasarBaru: '31.71.02.1001', // Jakarta Pusat / Sawah Besar
  tebetTimur: '31.74.01.1001', // Jakarta Selatan / Tebet
  setiaBudi: '31.74.02.1001', // Jakarta Selatan / Setiabudi
} as const;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A NIK first registered in `district` (undotted, 6 digits) for someone born on `birthDate` of `sex`. */
export function makeNik(district: string, birthDate: string, sex: 'M' | 'F', serial: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  return `${district}${pad(sex === 'F' ? d + 40 : d, 2)}${pad(m, 2)}${pad(y % 100, 2)}${pad(serial, 4)}`;
}

/** Turns a number into letters only (names must not hold digits): 0 -> "a", 27 -> "bb". */
export function letters(n: number): string {
  let s = '';
  let x = n;
  do {
    s = String.fromCharCode(97 + (x % 26)) + s;
    x = Math.floor(x / 26) - 1;
  } while (x >= 0);
  return s;
}

let counter = 0;

export type Person = ReturnType<typeof person>;

/**
 * A valid API body. Every call gets a new NIK (serial from a counter), phone and name, so calls never collide
 * within one test file. Overrides replace top-level fields; `village`, `sex`, `birthDate` shape the NIK.
 */
export function person(
  o: {
    village?: string;
    sex?: 'M' | 'F';
    birthDate?: string;
    name?: string;
    sector?: string;
    business?: Record<string, unknown>;
    domicile?: Record<string, unknown>;
    consentGiven?: boolean;
    extra?: Record<string, unknown>;
  } = {},
) {
  const n = ++counter;
  const sex = o.sex ?? (n % 2 === 0 ? 'F' : 'M');
  const birthDate = o.birthDate ?? `19${70 + (n % 25)}-${pad(1 + (n % 12), 2)}-${pad(1 + (n % 27), 2)}`;
  const village = o.village ?? V.gambir;
  const district = village.replaceAll('.', '').slice(0, 6);
  const nik = makeNik(district, birthDate, sex, n);
  const tag = letters(n + 1000);
  return {
    nik,
    fullName: o.name ?? `${sex === 'F' ? 'Siti' : 'Budi'} Uji ${tag[0].toUpperCase()}${tag.slice(1)}`,
    phone: `0812${pad(30_000_000 + n * 7919, 8)}`,
    email: `p${n}@example.id`,
    domicile: {
      villageCode: village,
      street: `Jl. Uji No. ${n}`,
      rt: '001',
      rw: '002',
      postalCode: '10110',
      ...(o.domicile ?? {}),
    },
    business: {
      name: `Warung ${tag}`,
      sector: o.sector ?? 'kuliner',
      annualRevenue: 300_000_000,
      capital: 50_000_000,
      employees: 2,
      ...(o.business ?? {}),
    },
    consent: { version: 'v1', given: o.consentGiven ?? true },
    ...(o.extra ?? {}),
    /** not part of the body: what the NIK encodes (stripped by `body()`) */
    _expect: { birthDate, sex },
  };
}

/** The body without the test-only `_expect` field. */
export function body(p: Person): Omit<Person, '_expect'> {
  const { _expect: _e, ...rest } = p;
  return rest;
}

/** Today's date in WIB (the calendar registration dates are bucketed in). */
export const todayWib = () => wibDate(new Date());

/** Asserts an RFC 9457 problem answer with a status and (optionally) a code. */
export function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const j = res.json();
  expect(j.status).toBe(status);
  expect(typeof j.title).toBe('string');
  expect(typeof j.detail).toBe('string');
  if (code) expect(j.code).toBe(code);
  return j as {
    code: string;
    detail: string;
    errors?: { path: string; code: string; message: string }[];
    [k: string]: unknown;
  };
}

/** The field paths of a 422 answer. */
export function errorPaths(res: LightMyRequestResponse): string[] {
  const j = expectProblem(res, 422, 'VALIDATION_FAILED');
  expect(Array.isArray(j.errors)).toBe(true);
  return j.errors!.map((e) => e.path);
}

/** Registers `p` straight through the service, as the system (no HTTP, no user). */
export const registerDirect = (svc: Services, p: ReturnType<typeof person>) =>
  createParticipant(svc, sysCtx, body(p) as never, 'api') as Promise<{
    id: string;
    registrationNumber: string;
  }>;
