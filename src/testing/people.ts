/**
 * A synthetic registry with known duplicates, for measuring duplicate detection (precision and recall) and its
 * speed. Deterministic for a seed. Every NIK is valid and unique and agrees with birth date, sex and a Jakarta
 * kecamatan. Injected, with the truth kept:
 * - duplicates: a person registered a second time with a NIK typo (one digit wrong, two neighbours swapped, the
 *   serial or the kecamatan digits retyped) and the name written another way (abbreviation, old spelling,
 *   a missing or extra part, another order, a typo, a title or degree), often another phone or address;
 * - hard cases that are not duplicates: twins (same birth date, kecamatan and family name, NIK serials one
 *   apart, often one phone), spouses sharing one phone and address, and many people called "Siti Aminah" or
 *   "Muhammad Rizki".
 */
import { type MatchRecord, nikSkeleton } from '../dedupe/match.ts';
import { markCommonNames } from '../dedupe/scan.ts';
import { nameKey } from '../identity/names.ts';
import { maskNik } from '../identity/nik.ts';
import { jakartaVillages, rng } from './generator.ts';
import { FAMILY, FEMALE, FEMALE_SECOND, MALE } from './names.ts';

export type Person = {
  nik: string;
  fullName: string;
  birthDate: string;
  sex: 'M' | 'F';
  phone: string;
  villageCode: string;
  districtCode: string;
  rt: string;
  rw: string;
  businessName: string;
};

export type Population = {
  people: Person[];
  /** index pairs [original, duplicate] */
  duplicates: [number, number][];
  twins: [number, number][];
  spouses: [number, number][];
};

type Rand = () => number;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

// The demo's name lists plus more, so that a population of a million has the spread of names a city has.
const MORE_MALE =
  'Ahmadi Akbar Alfian Alif Amir Andika Angga Ardi Arief Aris Asrul Bima Bondan Cahyo Darmawan Darto Dede Dicky Didik Dwi Edy Fadli Fahmi Farhan Febri Gunadi Guntur Hafiz Hakim Hamid Hanif Hendro Hidayat Ikhsan Indra Jamal Jefri Kurnia Lukman Maman Mukhlis Nanang Nugraha Oki Pandu Prabowo Rahmad Raka Ramli Rendi Rofiq Rohman Rusdi Samsudin Sarip Slamet Sobirin Sodikin Sukri Sunarto Syaiful Tatang Toni Ujang Wahid Wibisono Yayan Yoga Yunus Zulfikar Zulkifli'.split(
    ' ',
  );
const MORE_FEMALE =
  'Ainun Alya Anisa Asih Atikah Badriah Cici Dahlia Eli Elis Eni Erlina Fadilah Fauziah Hana Hani Heni Ima Irma Jamilah Juwita Khadijah Kurniasih Laila Lastri Lina Mardiyah Masitoh Murni Nanik Nengsih Nova Nunung Nurlela Oom Popon Rahayu Riska Rosita Rukmini Sarah Sholihah Sofia Sukaesih Sulis Tika Uswatun Wartini Winarsih Yuniar Zubaidah'.split(
    ' ',
  );
const MORE_FAMILY =
  'Abdullah Adiwijaya Akbar Alamsyah Ardiansyah Aritonang Azhari Baharuddin Budiman Damanik Daulay Fauzan Ginting Hakiki Handoko Hasibuan Hutagalung Irawan Jayadi Kartasasmita Kusnadi Lubis Mahendra Marpaung Munthe Napitupulu Nainggolan Pardede Pohan Purba Rachman Riyadi Ritonga Saragih Silalahi Simatupang Sitompul Situmorang Sudirman Sulaiman Surbakti Tarigan Wijayakusuma Yulianto Zulkarnain'.split(
    ' ',
  );
/**
 * Javanese names are built from a root and an ending (Su-yono, Har-yanto, Sri-yati, Mul-yani); compound family
 * names from two words (Kusuma-atmaja, Adi-wijaya): combined, they give a million people the long tail of
 * names a city has, where most full names are rare and a few are very common.
 */
const JAVA_ROOTS =
  'Su Har Pur Mul War Sum Sar Tar Kar Wid Sup Pri Jum Dar Kus Sug Wah Yud Tri Eko Dwi Ngat Pai Rus'.split(
    ' ',
  );
const JAVA_M = 'yono yanto tono harjo parno diman wanto naryo mardi yadi sono widodo santo priyo rejo'.split(
  ' ',
);
const JAVA_F = 'yati yani tini wati ningsih minah narti tinah siah iyah yem rsih'.split(' ');
const COMPOUND_A =
  'Adi Wira Surya Kusuma Hadi Praja Cipta Darma Jaya Mangku Sastra Purba Tanu Wignya Cakra'.split(' ');
const COMPOUND_B = 'atmaja wijaya negara kusuma diharja pranata winata sasmita prawira dinata'.split(' ');
const compose = (a: string[], b: string[]) => a.flatMap((x) => b.map((y) => `${x}${y}`));
const GIVEN_M = [...new Set([...MALE, ...MORE_MALE, ...compose(JAVA_ROOTS, JAVA_M)])];
const GIVEN_F = [...new Set([...FEMALE, ...MORE_FEMALE, ...compose(JAVA_ROOTS, JAVA_F)])];
const SECOND_F = [
  ...new Set([...FEMALE_SECOND, ...MORE_FEMALE, ...compose(JAVA_ROOTS.slice(0, 12), JAVA_F)]),
];
const FAMILIES = [...new Set([...FAMILY, ...MORE_FAMILY, ...compose(COMPOUND_A, COMPOUND_B)])];

/** A name as the demo's personName makes them, drawn from the longer lists. */
function personName(r: Rand, sex: 'M' | 'F'): { first: string; full: string } {
  const first = pick(r, sex === 'F' ? GIVEN_F : GIVEN_M);
  const given = () => {
    const g = pick(r, sex === 'F' ? SECOND_F : GIVEN_M);
    return g === first ? pick(r, FAMILIES) : g;
  };
  const u = r();
  const full =
    u < 0.12
      ? first
      : u < 0.55
        ? `${first} ${pick(r, FAMILIES)}`
        : u < 0.8
          ? `${first} ${given()}`
          : `${first} ${given()} ${pick(r, FAMILIES)}`;
  return { first, full };
}

const BUSINESS = [
  'Warung',
  'Dapur',
  'Kedai',
  'Toko',
  'Katering',
  'Konveksi',
  'Kue',
  'Salon',
  'Bengkel',
  'Jahit',
];
const BUSINESS_2 = [
  'Berkah',
  'Barokah',
  'Jaya',
  'Makmur',
  'Sejahtera',
  'Lestari',
  'Mandiri',
  'Sentosa',
  'Rezeki',
];

/** The old-spelling forms a name could have been written in (reverse of the 1972 reform). */
const OLD_SPELLING: [RegExp, string][] = [
  [/u/, 'oe'],
  [/j/, 'dj'],
  [/c/, 'tj'],
  [/y/, 'j'],
  [/kh/, 'ch'],
  [/sy/, 'sj'],
  [/ny/, 'nj'],
];
const ABBREVIATIONS: [RegExp, string[]][] = [
  [/^Muhammad\b/, ['M.', 'Moh.', 'Muh.', 'Muhamad', 'Mohammad', 'Mochammad']],
  [/^Siti\b/, ['St.', 'Sitti']],
  [/^Abdul\b/, ['Abd.']],
  [/^Nur\b/, ['Noor', 'Noer']],
  [/^Ahmad\b/, ['Achmad', 'Akhmad']],
];

function typo(r: Rand, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  const u = r();
  const letters = 'aiueorntsklmh';
  if (u < 0.3) return word.slice(0, i) + word.slice(i + 1); // a letter left out
  if (u < 0.55) return word.slice(0, i) + word[i] + word.slice(i); // a letter doubled
  if (u < 0.8) return word.slice(0, i) + pick(r, [...letters]) + word.slice(i + 1); // a wrong letter
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // two letters swapped
}

/** The same name as a different clerk or form would write it: one or two changes. */
export function nameVariant(r: Rand, name: string): string {
  let parts = name.split(' ');
  const changes = r() < 0.1 ? 0 : r() < 0.7 ? 1 : 2;
  for (let c = 0; c < changes; c++) {
    const u = r();
    const joined = parts.join(' ');
    const abbr = ABBREVIATIONS.find(([re]) => re.test(joined));
    if (u < 0.2 && abbr) parts = joined.replace(abbr[0], pick(r, abbr[1])).split(' ');
    else if (u < 0.38) {
      const i = Math.floor(r() * parts.length);
      const lower = parts[i].toLowerCase();
      const rules = OLD_SPELLING.filter(([re]) => re.test(lower));
      if (rules.length) {
        const [re, to] = pick(r, rules);
        const w = lower.replace(re, to);
        parts[i] = w[0].toUpperCase() + w.slice(1);
      } else parts[i] = typo(r, parts[i]);
    } else if (u < 0.5 && parts.length > 2) parts.splice(1 + Math.floor(r() * (parts.length - 1)), 1);
    else if (u < 0.6 && parts.length < 4) parts.push(pick(r, FAMILIES));
    else if (u < 0.68 && parts.length > 1) parts = [...parts.slice(1), parts[0]];
    else if (u < 0.88) {
      const i = Math.floor(r() * parts.length);
      parts[i] = typo(r, parts[i]);
    } else if (u < 0.94) parts = [pick(r, ['H.', 'Hj.', 'Drs.']), ...parts];
    else parts = [`${parts.join(' ')},`, pick(r, ['S.E.', 'S.Pd.', 'A.Md.'])];
  }
  const out = parts.join(' ');
  return r() < 0.1 ? out.toUpperCase() : out;
}

export function generatePopulation(n: number, seed = 7): Population {
  const r = rng(seed);
  const villages = jakartaVillages();
  const districts = new Set(villages.map((v) => v.district.replaceAll('.', '')));
  const villagesOf = new Map<string, typeof villages>();
  for (const v of villages) {
    const d = v.district.replaceAll('.', '');
    if (!villagesOf.has(d)) villagesOf.set(d, []);
    villagesOf.get(d)!.push(v);
  }
  const serials = new Map<string, number>();
  const used = new Set<string>();
  const people: Person[] = [];
  const duplicates: [number, number][] = [];
  const twins: [number, number][] = [];
  const spouses: [number, number][] = [];

  const phone = () => `08${1 + Math.floor(r() * 9)}${pad(Math.floor(r() * 1e9), 9)}`;
  const birth = () => {
    // ages 18-75, most between 30 and 55
    const year = Math.round(1950 + 54 * ((r() + r() + r()) / 3));
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    return { year, month, day };
  };
  const nikOf = (
    district: string,
    b: { year: number; month: number; day: number },
    sex: 'M' | 'F',
    serial: number,
  ) =>
    `${district}${pad(sex === 'F' ? b.day + 40 : b.day, 2)}${pad(b.month, 2)}${pad(b.year % 100, 2)}${pad(serial, 4)}`;
  const nextSerial = (prefix: string, count = 1) => {
    const s = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, s + count - 1);
    return s;
  };
  const neighbourhood = () => ({
    rt: pad(1 + Math.floor(r() * 12), 3),
    rw: pad(1 + Math.floor(r() * 10), 3),
  });
  const business = (first: string) => `${pick(r, BUSINESS)} ${r() < 0.5 ? first : pick(r, BUSINESS_2)}`;
  const add = (p: Person) => {
    used.add(p.nik);
    people.push(p);
    return people.length - 1;
  };
  const newPerson = (opts: { sex?: 'M' | 'F'; village?: (typeof villages)[number]; name?: string } = {}) => {
    const v = opts.village ?? pick(r, villages);
    const district = v.district.replaceAll('.', '');
    const sex = opts.sex ?? (r() < 0.55 ? 'F' : 'M');
    const b = birth();
    const prefix = nikOf(district, b, sex, 0).slice(0, 12);
    const nik = nikOf(district, b, sex, nextSerial(prefix));
    const pn = personName(r, sex);
    const fullName = opts.name ?? pn.full;
    return {
      nik,
      fullName,
      birthDate: `${b.year}-${pad(b.month, 2)}-${pad(b.day, 2)}`,
      sex,
      phone: phone(),
      villageCode: v.code,
      districtCode: district,
      ...neighbourhood(),
      businessName: business(fullName.split(' ')[0]),
    } satisfies Person;
  };

  /** A NIK one typo away that is valid (a real Jakarta kecamatan, a real date) and not used by anyone. */
  const validNik = (nik: string) => {
    if (!districts.has(nik.slice(0, 6)) || used.has(nik)) return false;
    const dd = Number(nik.slice(6, 8));
    const day = dd > 40 ? dd - 40 : dd;
    const mm = Number(nik.slice(8, 10));
    return day >= 1 && day <= 28 && mm >= 1 && mm <= 12 && Number(nik.slice(12)) > 0;
  };
  const nikTypo = (nik: string): string => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const u = r();
      let out: string;
      if (u < 0.5) {
        const i = Math.floor(r() * 16);
        out = nik.slice(0, i) + String((Number(nik[i]) + 1 + Math.floor(r() * 9)) % 10) + nik.slice(i + 1);
      } else if (u < 0.75) {
        const i = Math.floor(r() * 15);
        if (nik[i] === nik[i + 1]) continue;
        out = nik.slice(0, i) + nik[i + 1] + nik[i] + nik.slice(i + 2);
      } else if (u < 0.85) out = nik.slice(0, 12) + pad(1 + Math.floor(r() * 30), 4);
      else {
        const sameCity = [...districts].filter((d) => d.startsWith(nik.slice(0, 4)) && d !== nik.slice(0, 6));
        if (!sameCity.length) continue;
        out = pick(r, sameCity) + nik.slice(6);
      }
      if (validNik(out)) return out;
    }
    return '';
  };
  const fromNik = (nik: string) => {
    const dd = Number(nik.slice(6, 8));
    const sex: 'M' | 'F' = dd > 40 ? 'F' : 'M';
    const yy = Number(nik.slice(10, 12));
    const year = yy > 26 ? 1900 + yy : 2000 + yy;
    return { sex, birthDate: `${year}-${nik.slice(8, 10)}-${pad(dd > 40 ? dd - 40 : dd, 2)}` };
  };

  const nDup = Math.round(n * 0.02);
  const nTwinPairs = Math.round(n * 0.004);
  const nSpousePairs = Math.round(n * 0.01);
  const nBase = n - nDup - 2 * nTwinPairs - 2 * nSpousePairs;
  for (let i = 0; i < nBase; i++) {
    const u = r();
    const sex: 'M' | 'F' = r() < 0.55 ? 'F' : 'M';
    const common = u < 0.01 ? (sex === 'F' ? 'Siti Aminah' : 'Muhammad Rizki') : undefined;
    add(newPerson({ sex, name: common }));
  }
  for (let t = 0; t < nTwinPairs; t++) {
    const v = pick(r, villages);
    const district = v.district.replaceAll('.', '');
    const b = birth();
    const sexA: 'M' | 'F' = r() < 0.5 ? 'F' : 'M';
    const sexB: 'M' | 'F' = r() < 0.7 ? sexA : sexA === 'F' ? 'M' : 'F';
    const family = pick(r, FAMILIES);
    const given = (sex: 'M' | 'F', not?: string) => {
      for (;;) {
        const g = personName(r, sex).first;
        if (g !== not) return g;
      }
    };
    const ga = given(sexA);
    const gb = given(sexB, ga);
    // one serial block for both, so their serials are one apart (same sex) as the registry office issues them
    const prefixA = nikOf(district, b, sexA, 0).slice(0, 12);
    const serialA = nextSerial(prefixA, sexA === sexB ? 2 : 1);
    const serialB = sexA === sexB ? serialA + 1 : nextSerial(nikOf(district, b, sexB, 0).slice(0, 12));
    const tel = phone();
    const home = neighbourhood();
    const mk = (sex: 'M' | 'F', g: string, serial: number): Person => ({
      nik: nikOf(district, b, sex, serial),
      fullName: `${g} ${family}`,
      birthDate: `${b.year}-${pad(b.month, 2)}-${pad(b.day, 2)}`,
      sex,
      phone: tel,
      villageCode: v.code,
      districtCode: district,
      ...home,
      businessName: business(g),
    });
    const a = add(mk(sexA, ga, serialA));
    const bb = add({ ...mk(sexB, gb, serialB), phone: r() < 0.5 ? tel : phone() });
    twins.push([a, bb]);
  }
  for (let s = 0; s < nSpousePairs; s++) {
    const a = newPerson();
    const v = villages.find((x) => x.code === a.villageCode)!;
    const b = newPerson({ sex: a.sex === 'F' ? 'M' : 'F', village: v });
    const family = a.fullName.split(' ').length > 1 && r() < 0.3 ? a.fullName.split(' ').at(-1) : null;
    const ia = add(a);
    const ib = add({
      ...b,
      phone: a.phone,
      rt: a.rt,
      rw: a.rw,
      fullName: family ? `${b.fullName.split(' ')[0]} ${family}` : b.fullName,
    });
    spouses.push([ia, ib]);
  }
  const taken = new Set<number>();
  for (let d = 0; d < nDup; d++) {
    let o = Math.floor(r() * nBase);
    while (taken.has(o)) o = (o + 1) % nBase;
    taken.add(o);
    const orig = people[o];
    const nik = nikTypo(orig.nik);
    if (!nik) {
      d--;
      continue;
    }
    const { sex, birthDate } = fromNik(nik);
    const vu = r();
    const village =
      vu < 0.75
        ? orig.villageCode
        : vu < 0.9
          ? pick(r, villagesOf.get(orig.districtCode)!).code
          : pick(r, villages).code;
    const dup: Person = {
      nik,
      fullName: nameVariant(r, orig.fullName),
      birthDate,
      sex,
      phone: r() < 0.55 ? orig.phone : phone(),
      villageCode: village,
      districtCode: village.replaceAll('.', '').slice(0, 6),
      ...(village === orig.villageCode && r() < 0.85 ? { rt: orig.rt, rw: orig.rw } : neighbourhood()),
      businessName: r() < 0.6 ? orig.businessName : nameVariant(r, orig.businessName),
    };
    duplicates.push([o, add(dup)]);
  }
  return { people, duplicates, twins, spouses };
}

/** The population as the scan sees a registry: NIK masked (resolved on demand), names as canonical parts. */
export function asMatchRecords(pop: Population): MatchRecord[] {
  const records = pop.people.map((p, i) => ({
    regno: `G${pad(i, 8)}`,
    nik: null,
    skeleton: nikSkeleton(maskNik(p.nik), p.birthDate, p.sex),
    name: nameKey(p.fullName),
    birthDate: p.birthDate,
    sex: p.sex,
    districtCode: p.districtCode,
    villageCode: p.villageCode,
    rt: p.rt,
    rw: p.rw,
    phoneHash: p.phone,
    business: nameKey(p.businessName),
  }));
  return markCommonNames(records);
}

export type Quality = {
  truePairs: number;
  flagged: number;
  sure: number;
  precision: number;
  recall: number;
  surePrecision: number;
  /** hard cases (twins, spouses) flagged at each level */
  twinsFlagged: { sure: number; review: number };
  spousesFlagged: { sure: number; review: number };
};

/** Precision and recall of found pairs (record indexes) against the injected truth. */
export function measure(
  pop: Population,
  found: { a: number; b: number; level: 'sure' | 'review' | null }[],
): Quality {
  const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const truth = new Set(pop.duplicates.map(([a, b]) => key(a, b)));
  const twins = new Set(pop.twins.map(([a, b]) => key(a, b)));
  const spouses = new Set(pop.spouses.map(([a, b]) => key(a, b)));
  let tp = 0;
  let sure = 0;
  let sureTp = 0;
  const twinsFlagged = { sure: 0, review: 0 };
  const spousesFlagged = { sure: 0, review: 0 };
  for (const f of found) {
    if (!f.level) continue;
    const k = key(f.a, f.b);
    const hit = truth.has(k);
    if (hit) tp++;
    if (f.level === 'sure') {
      sure++;
      if (hit) sureTp++;
    }
    if (twins.has(k)) twinsFlagged[f.level]++;
    if (spouses.has(k)) spousesFlagged[f.level]++;
  }
  const flagged = found.filter((f) => f.level).length;
  return {
    truePairs: truth.size,
    flagged,
    sure,
    precision: flagged ? tp / flagged : 1,
    recall: truth.size ? tp / truth.size : 1,
    surePrecision: sure ? sureTp / sure : 1,
    twinsFlagged,
    spousesFlagged,
  };
}
