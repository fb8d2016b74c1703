import idPublic from 'virtual:jkp-i18n/id/public';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api.ts';

/**
 * Texts: src/web/i18n/id.json (Bahasa Indonesia, the default) and en.json (English), same keys in both
 * (checked by keys.test.ts). Only the Indonesian public texts ship in the entry; English and the `console`
 * section are loaded on demand (see the jkp-i18n-parts plugin in vite.config.ts).
 */
export const LANGUAGES = [
  { code: 'id', label: 'Bahasa Indonesia', locale: 'id-ID' },
  { code: 'en', label: 'English', locale: 'en-GB' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];
type Part = 'public' | 'console';

export const LANG_STORAGE_KEY = 'jkp.lang';

const LOADERS: Record<Part, Record<Lang, () => Promise<{ default: Record<string, unknown> }>>> = {
  public: {
    id: async () => ({ default: idPublic }),
    en: () => import('virtual:jkp-i18n/en/public'),
  },
  console: {
    id: () => import('virtual:jkp-i18n/id/console'),
    en: () => import('virtual:jkp-i18n/en/console'),
  },
};
const loaded = new Set<string>(['id/public']);
const parts = new Set<Part>(['public']);

async function ensureTexts(lang: Lang) {
  await Promise.all(
    [...parts].map(async (part) => {
      if (loaded.has(`${lang}/${part}`)) return;
      const m = await LOADERS[part][lang]();
      i18n.addResourceBundle(lang, 'translation', m.default, true, true);
      loaded.add(`${lang}/${part}`);
    }),
  );
}

export function storedLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY);
    if (v === 'id' || v === 'en') return v;
  } catch {
    // storage blocked: the default
  }
  return 'id';
}

function applyLang(lang: string) {
  setApiLanguage(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // not remembered, still switched
  }
}

/** Switches the UI language (loading its texts first) and remembers it. */
export async function setLanguage(lang: Lang) {
  await ensureTexts(lang);
  await i18n.changeLanguage(lang);
}

/** Called by the console before it renders: its texts, in the current language. */
export async function enableConsoleTexts() {
  parts.add('console');
  await ensureTexts(currentLang());
}

export const currentLang = (): Lang => (i18n.language === 'en' ? 'en' : 'id');
export const localeOf = (lang: string) => LANGUAGES.find((l) => l.code === lang)?.locale ?? 'id-ID';

i18n.use(initReactI18next).init({
  resources: { id: { translation: idPublic } },
  lng: 'id',
  fallbackLng: 'id',
  supportedLngs: ['id', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});
i18n.on('languageChanged', applyLang);

/** Resolves when the remembered language's texts are in; main.tsx renders after it. */
export const i18nReady: Promise<void> = setLanguage(storedLang()).catch(() => undefined);

export default i18n;
