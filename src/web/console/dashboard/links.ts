/**
 * Where each dashboard figure leads: the participants list filtered to exactly the records it counts (the API's
 * list answers the same total as the figure; test/stats-traceable.test.ts checks every kind). Pure.
 */
import { participantsLink } from '../participants/filters.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2021-02" -> the first and last day of that month (registration dates are WIB calendar days). */
function monthRange(ym: string): { registeredFrom: string; registeredTo: string } {
  const [y, m] = ym.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { registeredFrom: `${ym}-01`, registeredTo: `${y}-${pad(m)}-${pad(last)}` };
}

export type QrisKind = 'declared' | 'verified';

export const figureLink = {
  /** everyone counted (registered) */
  all: () => participantsLink({}),
  /** reached a 7P stage (funnel) */
  stage: (code: string) => participantsLink({ stage: code }),
  /** a status (registered = pending, verified, validated, rejected) */
  status: (status: string) => participantsLink({ status }),
  /** a city or regency, dotted ("31.74") */
  regency: (code: string) => participantsLink({ regencyCode: code }),
  /** a kecamatan, dotted ("31.74.05"); its city too, so the list's selects show both */
  district: (code: string) => participantsLink({ regencyCode: code.slice(0, 5), districtCode: code }),
  sector: (sector: string) => participantsLink({ sector }),
  /** enrolled with an agency (a person counts once per agency) */
  agency: (code: string) => participantsLink({ agency: code }),
  /** registered in a year ("2021") */
  year: (y: string) => participantsLink({ registeredFrom: `${y}-01-01`, registeredTo: `${y}-12-31` }),
  /** registered in a month ("2021-02") */
  month: (ym: string) => participantsLink(monthRange(ym)),
  /** QRIS declared or verified, overall or within a city or a sector */
  qris: (kind: QrisKind, where: { regencyCode?: string; sector?: string } = {}) =>
    participantsLink({ qris: kind, ...where }),
};
