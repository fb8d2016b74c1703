import {
  Alert,
  Box,
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  List,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, post } from '../api.ts';
import { usePageTitle } from '../components/usePageTitle.ts';
import { PROGRAM_AREA } from '../config.ts';
import { useLightForm } from '../lib/form.ts';
import { regionLabel, useRegions } from '../regions.ts';
import type { RegionList, RegistrationResult } from '../types.ts';
import { nikDigits, nikHint } from './nik.ts';

export const SECTORS = ['kuliner', 'fashion', 'kriya', 'jasa', 'perdagangan', 'budidaya', 'lainnya'] as const;
/** The consent text shown here (i18n keys consent.*) is recorded with this version. */
export const CONSENT_VERSION = 'web-pdp-1';

type Values = {
  nik: string;
  fullName: string;
  birthDate: string;
  sex: '' | 'M' | 'F';
  phone: string;
  email: string;
  regencyCode: string;
  districtCode: string;
  domicile: { villageCode: string; street: string };
  business: { name: string; sector: string };
  consent: { given: boolean };
};

/** Field paths of the form, the same as the API's error paths; others go to the summary at the top. */
const FIELD_PATHS = [
  'nik',
  'fullName',
  'birthDate',
  'sex',
  'phone',
  'email',
  'domicile.villageCode',
  'domicile.street',
  'business.name',
  'business.sector',
  'consent.given',
];

export default function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  usePageTitle(t('register.pageTitle'));
  const [problem, setProblem] = useState<{ title: string; items: string[] } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const required = (v: unknown) => (v ? null : t('register.required'));
  const form = useLightForm<Values>({
    initialValues: {
      nik: '',
      fullName: '',
      birthDate: '',
      sex: '',
      phone: '',
      email: '',
      regencyCode: '',
      districtCode: '',
      domicile: { villageCode: '', street: '' },
      business: { name: '', sector: '' },
      consent: { given: false },
    },
    validate: {
      nik: (v) => (nikDigits(v).length === 16 ? null : t('register.nikLength')),
      fullName: (v) => required(v.trim()),
      phone: (v) => required(v.trim()),
      regencyCode: required,
      districtCode: required,
      'domicile.villageCode': required,
      'business.name': (v) => required(v.trim()),
      'business.sector': required,
      'consent.given': (v) => (v ? null : t('register.consentRequired')),
    },
  });
  const v = form.values;
  const cities = useRegions(PROGRAM_AREA);
  const districts = useRegions(v.regencyCode || null);
  const villages = useRegions(v.districtCode || null);

  const options = (list: RegionList | undefined, placeholder: string) => [
    { value: '', label: placeholder },
    ...(list?.items ?? []).map((r) => ({ value: r.code, label: regionLabel(r.name) })),
  ];

  function onNik(raw: string) {
    const nik = nikDigits(raw);
    form.setFieldValue('nik', nik);
    const hint = nikHint(nik);
    if (hint) {
      form.setFieldValue('birthDate', hint.birthDate);
      form.setFieldValue('sex', hint.sex);
    }
  }

  function focusFirstError(paths: string[]) {
    const order = [...FIELD_PATHS.slice(0, 6), 'regencyCode', 'districtCode', ...FIELD_PATHS.slice(6)];
    const first = order.find((p) => paths.includes(p));
    const host = first ? document.querySelector<HTMLElement>(`[data-path="${first}"]`) : null;
    const el = host?.matches('input, select, textarea')
      ? host
      : host?.querySelector<HTMLElement>('input, select, textarea');
    (el ?? summaryRef.current)?.focus();
  }

  async function submit(values: Values) {
    setProblem(null);
    setSubmitting(true);
    try {
      const res = await post<RegistrationResult>('/public/registrations', {
        nik: values.nik,
        fullName: values.fullName.trim(),
        birthDate: values.birthDate || null,
        sex: values.sex || null,
        phone: values.phone.trim(),
        email: values.email.trim() || null,
        domicile: { villageCode: values.domicile.villageCode, street: values.domicile.street.trim() || null },
        business: { name: values.business.name.trim(), sector: values.business.sector },
        consent: { version: CONSENT_VERSION, given: values.consent.given, purpose: 'registration' },
      });
      navigate('/register/done', { state: res, replace: false });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e));
      const fieldErrors: Record<string, string> = {};
      const other: string[] = [];
      for (const fe of err.errors) {
        if (FIELD_PATHS.includes(fe.path)) {
          fieldErrors[fe.path] = fieldErrors[fe.path] ? `${fieldErrors[fe.path]} ${fe.message}` : fe.message;
        } else other.push(fe.message);
      }
      if (err.code === 'NIK_ALREADY_REGISTERED') fieldErrors.nik = err.message;
      form.setErrors(fieldErrors);
      setProblem({
        title: err.status === 0 ? t('common.networkError') : err.message,
        items: other,
      });
      // let the errors render, then move focus to the first field to fix
      setTimeout(() => focusFirstError(Object.keys(fieldErrors)), 0);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Container size="sm" px={{ base: 'sm', sm: 'md' }}>
      <Stack gap="lg">
        <div>
          <Title order={1} fz={{ base: 26, sm: 32 }}>
            {t('register.title')}
          </Title>
          <Text mt="xs">{t('register.lead')}</Text>
        </div>

        <form
          noValidate
          onSubmit={form.onSubmit(submit, (errors) => {
            setProblem({ title: t('register.fixFields', { count: Object.keys(errors).length }), items: [] });
            setTimeout(() => focusFirstError(Object.keys(errors)), 0);
          })}
        >
          <Stack gap="lg">
            <div ref={summaryRef} tabIndex={-1} aria-live="assertive">
              {problem ? (
                <Alert color="red" title={problem.title} data-testid="form-problem">
                  {problem.items.length > 0 ? (
                    <List size="sm">
                      {problem.items.map((m) => (
                        <List.Item key={m}>{m}</List.Item>
                      ))}
                    </List>
                  ) : (
                    t('register.fixBelow')
                  )}
                </Alert>
              ) : null}
            </div>

            <Card withBorder padding="md">
              <fieldset className="jkp-fieldset">
                <legend className="jkp-legend">
                  <Title order={2} size="h4">
                    {t('register.identity')}
                  </Title>
                </legend>
                <Stack gap="md">
                  <TextInput
                    label={t('register.nik')}
                    description={t('register.nikHelp')}
                    inputMode="numeric"
                    autoComplete="off"
                    required
                    maxLength={19}
                    data-path="nik"
                    {...form.getInputProps('nik')}
                    onChange={(e) => onNik(e.currentTarget.value)}
                  />
                  <TextInput
                    label={t('register.fullName')}
                    description={t('register.fullNameHelp')}
                    autoComplete="name"
                    required
                    data-path="fullName"
                    {...form.getInputProps('fullName')}
                  />
                  <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                    <TextInput
                      type="date"
                      label={t('register.birthDate')}
                      description={t('register.fromNik')}
                      data-path="birthDate"
                      {...form.getInputProps('birthDate')}
                    />
                    <Radio.Group
                      label={t('register.sex')}
                      description={t('register.fromNik')}
                      data-path="sex"
                      {...form.getInputProps('sex')}
                    >
                      <Group gap="md" mt={8}>
                        <Radio value="M" label={t('register.male')} />
                        <Radio value="F" label={t('register.female')} />
                      </Group>
                    </Radio.Group>
                  </SimpleGrid>
                  <TextInput
                    type="tel"
                    label={t('register.phone')}
                    description={t('register.phoneHelp')}
                    inputMode="tel"
                    autoComplete="tel"
                    required
                    data-path="phone"
                    {...form.getInputProps('phone')}
                  />
                  <TextInput
                    type="email"
                    label={t('register.email')}
                    description={t('register.optional')}
                    autoComplete="email"
                    data-path="email"
                    {...form.getInputProps('email')}
                  />
                </Stack>
              </fieldset>
            </Card>

            <Card withBorder padding="md">
              <fieldset className="jkp-fieldset">
                <legend className="jkp-legend">
                  <Title order={2} size="h4">
                    {t('register.domicile')}
                  </Title>
                </legend>
                <Stack gap="md">
                  <NativeSelect
                    label={t('register.city')}
                    required
                    data-path="regencyCode"
                    data={options(cities.data, cities.isPending ? t('common.loading') : t('register.choose'))}
                    {...form.getInputProps('regencyCode')}
                    onChange={(e) => {
                      form.setFieldValue('regencyCode', e.currentTarget.value);
                      form.setFieldValue('districtCode', '');
                      form.setFieldValue('domicile.villageCode', '');
                    }}
                  />
                  <NativeSelect
                    label={t('register.district')}
                    required
                    disabled={!v.regencyCode}
                    data-path="districtCode"
                    data={options(
                      districts.data,
                      v.regencyCode && districts.isPending ? t('common.loading') : t('register.choose'),
                    )}
                    {...form.getInputProps('districtCode')}
                    onChange={(e) => {
                      form.setFieldValue('districtCode', e.currentTarget.value);
                      form.setFieldValue('domicile.villageCode', '');
                    }}
                  />
                  <NativeSelect
                    label={t('register.village')}
                    required
                    disabled={!v.districtCode}
                    data-path="domicile.villageCode"
                    data={options(
                      villages.data,
                      v.districtCode && villages.isPending ? t('common.loading') : t('register.choose'),
                    )}
                    {...form.getInputProps('domicile.villageCode')}
                  />
                  <TextInput
                    label={t('register.street')}
                    description={t('register.optional')}
                    autoComplete="street-address"
                    data-path="domicile.street"
                    {...form.getInputProps('domicile.street')}
                  />
                </Stack>
              </fieldset>
            </Card>

            <Card withBorder padding="md">
              <fieldset className="jkp-fieldset">
                <legend className="jkp-legend">
                  <Title order={2} size="h4">
                    {t('register.business')}
                  </Title>
                </legend>
                <Stack gap="md">
                  <TextInput
                    label={t('register.businessName')}
                    required
                    autoComplete="organization"
                    data-path="business.name"
                    {...form.getInputProps('business.name')}
                  />
                  <NativeSelect
                    label={t('register.sector')}
                    required
                    data-path="business.sector"
                    data={[
                      { value: '', label: t('register.choose') },
                      ...SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) })),
                    ]}
                    {...form.getInputProps('business.sector')}
                  />
                </Stack>
              </fieldset>
            </Card>

            <Card withBorder padding="md" component="section" aria-labelledby="consent-title">
              <Title order={2} size="h4" id="consent-title">
                {t('consent.title')}
              </Title>
              <Box
                mt="xs"
                p="sm"
                bg="gray.0"
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                data-testid="consent-text"
              >
                <Stack gap={6}>
                  <Text size="sm">{t('consent.intro')}</Text>
                  <Text size="sm">
                    <strong>{t('consent.purposeTitle')}</strong> {t('consent.purpose')}
                  </Text>
                  <Text size="sm">
                    <strong>{t('consent.dataTitle')}</strong> {t('consent.data')}
                  </Text>
                  <Text size="sm">
                    <strong>{t('consent.rightsTitle')}</strong> {t('consent.rights')}
                  </Text>
                  <Text size="sm">
                    <strong>{t('consent.contactTitle')}</strong> {t('consent.contact')}
                  </Text>
                </Stack>
              </Box>
              <Checkbox
                mt="md"
                label={t('consent.accept')}
                data-path="consent.given"
                {...form.getInputProps('consent.given', { type: 'checkbox' })}
              />
            </Card>

            <Button type="submit" size="md" loading={submitting} fullWidth>
              {t('register.submit')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Container>
  );
}
