import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Lang, setLanguage } from '../i18n/index.ts';

/** The language switch in every header; the options read "Bahasa Indonesia" / "English" in both languages. */
export function LanguageSwitch({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  const { i18n, t } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('common.language')}
      size={size}
      value={i18n.language === 'en' ? 'en' : 'id'}
      onChange={(e) => void setLanguage(e.currentTarget.value as Lang)}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      w={size === 'xs' ? 150 : 170}
    />
  );
}
