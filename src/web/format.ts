import { useTranslation } from 'react-i18next';
import { localeOf } from './i18n/index.ts';

export type Format = {
  locale: string;
  number: (n: number | null | undefined) => string;
  /** 12.5 -> "12,5%" / "12.5%" (the API sends percentages as numbers of per cent) */
  percent: (n: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
};

/**
 * One set of formatters per locale, made once: an Intl formatter costs far more to create than to use (a list
 * of 25 dates made 25 of them on each render), and a stable object lets memoised components skip rendering.
 */
const byLocale = new Map<string, Format>();

function formatFor(locale: string): Format {
  let f = byLocale.get(locale);
  if (!f) {
    const nf = new Intl.NumberFormat(locale);
    const pf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const df = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Jakarta' });
    f = {
      locale,
      number: (n) => (n == null ? '–' : nf.format(n)),
      percent: (n) => (n == null ? '–' : pf.format(n / 100)),
      date: (iso) => (iso ? df.format(new Date(iso)) : '–'),
    };
    byLocale.set(locale, f);
  }
  return f;
}

/** Number and date formatting in the current UI language (1.234 in Indonesian, 1,234 in English). */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  return formatFor(localeOf(i18n.language));
}
