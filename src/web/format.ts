import { useTranslation } from 'react-i18next';
import { localeOf } from './i18n/index.ts';

/** Number and date formatting in the current UI language (1.234 in Indonesian, 1,234 in English). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return {
    locale,
    number: (n: number | null | undefined) => (n == null ? '–' : nf.format(n)),
    /** 12.5 -> "12,5%" / "12.5%" (the API sends percentages as numbers of per cent) */
    percent: (n: number | null | undefined) => (n == null ? '–' : pf.format(n / 100)),
    date: (iso: string | null | undefined) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(
            new Date(iso),
          )
        : '–',
  };
}
