import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  SimpleGrid,
  Skeleton,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, patch, post } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { getRecord, type Participant, SECTORS, useRegionOptions } from './data.ts';
import { orNull, patchOf, type Values, valuesOf } from './logic.ts';

export const CONSENT_VERSION = 'web-pdp-1';

/** Create (/console/participants/new) and edit (/console/participants/:id/edit) with the API's field errors. */
export default function FormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const editing = !!id;
  const title = editing ? t('console.participants.editTitle') : t('console.participants.newTitle');
  usePageTitle(title);
  const q = useQuery({
    queryKey: ['participant', id],
    queryFn: ({ signal }) => getRecord(id!, signal),
    enabled: editing,
  });
  if (editing && !q.data) {
    return (
      <Stack>
        <Title order={1}>{title}</Title>
        {q.isError ? <Alert color="red">{(q.error as Error).message}</Alert> : <Skeleton height={400} />}
      </Stack>
    );
  }
  return (
    <ParticipantForm
      key={q.data?.etag ?? 'new'}
      title={title}
      record={q.data?.record ?? null}
      etag={q.data?.etag ?? null}
      onReload={() => q.refetch()}
    />
  );
}

function ParticipantForm({
  title,
  record,
  etag,
  onReload,
}: {
  title: string;
  record: Participant | null;
  etag: string | null;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = record != null;
  const initial = useRef(valuesOf(record));
  const formRef = useRef<HTMLFormElement>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const form = useForm<Values>({
    initialValues: initial.current,
    validate: {
      nik: (v) => (editing || /^\d{16}$/.test(v.replace(/\s/g, '')) ? null : t('register.nikLength')),
      fullName: (v) => (v.trim() ? null : t('register.required')),
      phone: (v) => (v.trim() ? null : t('register.required')),
      domicile: { villageCode: (v) => (v ? null : t('register.required')) },
      business: { name: (v) => (v.trim() ? null : t('register.required')) },
      consentGiven: (v) => (editing || v ? null : t('register.consentRequired')),
    },
  });
  const cities = useRegionOptions('31');
  const districts = useRegionOptions(form.values.regencyCode || null);
  const villages = useRegionOptions(form.values.districtCode || null);

  // after the errors are rendered, the focus goes to the first invalid field
  const [focusTick, setFocusTick] = useState(0);
  const focusFirstError = () => setFocusTick((n) => n + 1);
  useEffect(() => {
    if (focusTick > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);
  useEffect(() => {
    if (problem?.status === 412) formRef.current?.querySelector<HTMLElement>('[data-stale] button')?.focus();
  }, [problem]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      if (editing) {
        const body = patchOf(initial.current, v);
        return patch<Participant>(`/participants/${record.id}`, body, { 'If-Match': etag ?? '*' });
      }
      return post<Participant>('/participants', {
        nik: v.nik.replace(/\s/g, ''),
        fullName: v.fullName.trim(),
        birthDate: orNull(v.birthDate),
        sex: v.sex || null,
        phone: v.phone.trim(),
        email: orNull(v.email),
        domicile: { villageCode: v.domicile.villageCode, street: orNull(v.domicile.street) },
        business: { name: v.business.name.trim(), sector: orNull(v.business.sector) },
        consent: { version: CONSENT_VERSION, given: v.consentGiven, purpose: 'registration' },
      });
    },
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['participants'] });
      qc.removeQueries({ queryKey: ['participant', p.id] });
      qc.invalidateQueries({ queryKey: ['audit', p.id] });
      notifications.show({ color: 'green', message: t('console.participants.saved') });
      navigate(`/console/participants/${p.id}`);
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      setProblem(e);
      if (e.errors.length > 0) {
        const errs: Record<string, string> = {};
        for (const x of e.errors) errs[x.path] = errs[x.path] ? `${errs[x.path]} ${x.message}` : x.message;
        // a duplicate NIK (409) without a path belongs to the NIK field
        form.setErrors(errs);
        focusFirstError();
      } else if (e.status === 409 && e.code.includes('NIK')) {
        form.setFieldError('nik', e.message);
        focusFirstError();
      }
    },
  });

  const choose = t('register.choose');
  const stale = problem?.status === 412;
  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      {problem && !stale ? (
        <Alert color="red" role="alert" data-testid="form-problem">
          {problem.message}
        </Alert>
      ) : null}
      {stale ? (
        <Alert color="orange" role="alert" title={t('console.participants.staleTitle')} data-stale>
          <Stack gap="xs" align="flex-start">
            {t('console.participants.staleHelp')}
            <Button
              variant="default"
              onClick={() => {
                setProblem(null);
                onReload();
              }}
            >
              {t('console.participants.reload')}
            </Button>
          </Stack>
        </Alert>
      ) : null}
      <form
        ref={formRef}
        noValidate
        onSubmit={form.onSubmit(
          (v) => {
            setProblem(null);
            save.mutate(v);
          },
          () => focusFirstError(),
        )}
      >
        <Stack gap="md">
          <Card withBorder padding="md" component="fieldset" style={{ border: undefined }}>
            <Title order={2} size="h4" component="legend">
              {t('register.identity')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {editing ? (
                <TextInput label="NIK" value={record.nik ?? ''} readOnly />
              ) : (
                <TextInput
                  label={t('register.nik')}
                  required
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={20}
                  {...form.getInputProps('nik')}
                />
              )}
              <TextInput label={t('register.fullName')} required {...form.getInputProps('fullName')} />
              <TextInput type="date" label={t('register.birthDate')} {...form.getInputProps('birthDate')} />
              <Radio.Group label={t('register.sex')} {...form.getInputProps('sex')}>
                <Group mt={6}>
                  <Radio value="F" label={t('register.female')} />
                  <Radio value="M" label={t('register.male')} />
                </Group>
              </Radio.Group>
              <TextInput
                type="tel"
                label={t('register.phone')}
                required
                autoComplete="off"
                {...form.getInputProps('phone')}
              />
              <TextInput type="email" label={t('register.email')} {...form.getInputProps('email')} />
            </SimpleGrid>
          </Card>
          <Card withBorder padding="md" component="fieldset">
            <Title order={2} size="h4" component="legend">
              {t('register.domicile')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NativeSelect
                label={t('register.city')}
                required
                data={[{ value: '', label: choose }, ...cities.options]}
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
                disabled={!form.values.regencyCode}
                data={[{ value: '', label: choose }, ...districts.options]}
                {...form.getInputProps('districtCode')}
                onChange={(e) => {
                  form.setFieldValue('districtCode', e.currentTarget.value);
                  form.setFieldValue('domicile.villageCode', '');
                }}
              />
              <NativeSelect
                label={t('register.village')}
                required
                disabled={!form.values.districtCode}
                data={[{ value: '', label: choose }, ...villages.options]}
                {...form.getInputProps('domicile.villageCode')}
              />
            </SimpleGrid>
            <TextInput mt="sm" label={t('register.street')} {...form.getInputProps('domicile.street')} />
          </Card>
          <Card withBorder padding="md" component="fieldset">
            <Title order={2} size="h4" component="legend">
              {t('register.business')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t('register.businessName')}
                required
                {...form.getInputProps('business.name')}
              />
              <NativeSelect
                label={t('register.sector')}
                data={[
                  { value: '', label: choose },
                  ...SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) })),
                ]}
                {...form.getInputProps('business.sector')}
              />
            </SimpleGrid>
          </Card>
          {!editing ? (
            <Checkbox
              label={t('console.participants.consentGiven')}
              {...form.getInputProps('consentGiven', { type: 'checkbox' })}
            />
          ) : null}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {editing ? t('console.participants.saveChanges') : t('console.participants.create')}
            </Button>
            <Button
              component={Link}
              to={editing ? `/console/participants/${record.id}` : '/console/participants'}
              variant="default"
            >
              {t('console.participants.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
