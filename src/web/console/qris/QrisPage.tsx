import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  List,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, get, post } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { useMe } from '../../session.tsx';
import { uploadFile } from '../imports/upload.ts';
import { validAmount } from './amount.ts';

type Issue = { path: string; code: string; message: string };
export type QrisProfile = {
  id: string;
  participantId: string;
  status: 'unverified' | 'verified';
  payload: string;
  merchantName: string | null;
  merchantCity: string | null;
  nmid: string | null;
  criteria: string | null;
  mcc: string | null;
  source: string | null;
  sizeClass: string | null;
  expectedCriteria: string | null;
  warnings: Issue[];
  submittedAt: string | null;
  verifiedAt: string | null;
  version: number;
};

/** Prints only the poster, on an A6 sheet. Rendered by this page only, so other pages print as usual. */
const PRINT_CSS = `
@media print {
  @page { size: A6 portrait; margin: 0; }
  html, body { margin: 0 !important; padding: 0 !important; background: #fff !important; }
  body * { visibility: hidden !important; }
  .jkp-qris-poster, .jkp-qris-poster * { visibility: visible !important; }
  .jkp-qris-poster { position: fixed !important; left: 0; top: 0; width: 105mm !important; height: 148mm !important;
    margin: 0 !important; padding: 0 !important; border: 0 !important; box-shadow: none !important; }
  .jkp-qris-poster img { width: 105mm !important; height: 148mm !important; max-width: none !important; object-fit: contain; }
}`;

/** A participant's QRIS profile: paste or upload the code, warnings, verification, the QR image, the A6 poster. */
export default function QrisPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const me = useMe().user!;
  const qc = useQueryClient();
  usePageTitle(t('console.qris.title'));
  const base = `/api/v1/participants/${encodeURIComponent(id)}`;
  const [payload, setPayload] = useState('');
  const [image, setImage] = useState<File | null>(null);
  const [amount, setAmount] = useState('');
  const [dAmount] = useDebouncedValue(amount.trim(), 400);
  const [saved, setSaved] = useState<string | null>(null);

  const profile = useQuery({
    queryKey: ['qris', id, i18n.language],
    queryFn: ({ signal }) => get<QrisProfile>(`${base}/qris`, signal),
  });
  const missing = profile.error instanceof ApiError && profile.error.code === 'QRIS_PROFILE_MISSING';
  const p = profile.data;

  const onSaved = (next: QrisProfile) => {
    qc.setQueryData(['qris', id, i18n.language], next);
    setSaved(t('console.qris.saved'));
  };
  const save = useMutation({
    mutationFn: () => api<QrisProfile>(`${base}/qris`, { method: 'PUT', body: { payload } }),
    onMutate: () => setSaved(null),
    onSuccess: (r) => {
      setPayload('');
      onSaved(r);
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => uploadFile<QrisProfile>(`${base}/qris/image`, file, i18n.language),
    onMutate: () => setSaved(null),
    onSuccess: (r) => {
      setImage(null);
      onSaved(r);
    },
  });
  const verify = useMutation({
    mutationFn: () => post<QrisProfile>(`${base}/qris/verify`, { version: p?.version }),
    onMutate: () => setSaved(null),
    onSuccess: (r) => {
      qc.setQueryData(['qris', id, i18n.language], r);
      setSaved(t('console.qris.verified'));
    },
  });

  const canVerify = me.role === 'admin' || me.role === 'officer' || me.role === 'mentor';
  const amountOk = dAmount === '' || validAmount(dAmount);
  const query = new URLSearchParams();
  if (dAmount && amountOk) query.set('amount', dAmount);
  if (p) query.set('v', String(p.version));
  const qs = query.toString();

  return (
    <Stack gap="lg" maw={960}>
      <style>{PRINT_CSS}</style>
      <Anchor component={Link} to={`/console/participants/${encodeURIComponent(id)}`} size="sm">
        {t('console.qris.back')}
      </Anchor>
      <Title order={1}>{t('console.qris.title')}</Title>
      <Text>{t('console.qris.intro')}</Text>

      {profile.isPending ? <Skeleton height={120} /> : null}
      {profile.isError && !missing ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {(profile.error as Error).message}
        </Alert>
      ) : null}
      {missing ? (
        <Alert color="blue" data-testid="qris-missing">
          {t('console.qris.none')}
        </Alert>
      ) : null}
      {saved ? (
        <Alert color="green" role="status">
          {saved}
        </Alert>
      ) : null}

      {p ? (
        <Card withBorder data-testid="qris-profile">
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} size="h3">
                {p.merchantName ?? '–'}
              </Title>
              <Badge
                color={p.status === 'verified' ? 'green.9' : 'gray.8'}
                variant={p.status === 'verified' ? 'filled' : 'outline'}
              >
                {t(`console.qris.status.${p.status}`)}
              </Badge>
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="xs">
              <Field label={t('console.qris.merchantCity')} value={p.merchantCity} />
              <Field label="NMID" value={p.nmid} />
              <Field label={t('console.qris.criteria')} value={p.criteria} />
              <Field label="MCC" value={p.mcc} />
              <Field label={t('console.qris.expectedCriteria')} value={p.expectedCriteria} />
              <Field label={t('console.qris.submittedAt')} value={f.date(p.submittedAt)} />
              {p.verifiedAt ? (
                <Field label={t('console.qris.verifiedAt')} value={f.date(p.verifiedAt)} />
              ) : null}
            </SimpleGrid>
            {p.warnings.length > 0 ? (
              <Alert
                color="yellow"
                styles={{ title: { color: 'var(--mantine-color-text)' } }}
                title={t('console.qris.warnings')}
                data-testid="qris-warnings"
              >
                <List size="sm">
                  {p.warnings.map((w) => (
                    <List.Item key={`${w.code}-${w.path}`}>
                      {w.message}{' '}
                      <Text span size="xs">
                        ({w.code})
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
            {canVerify && p.status !== 'verified' ? (
              <Group>
                <Button onClick={() => verify.mutate()} loading={verify.isPending}>
                  {t('console.qris.verify')}
                </Button>
              </Group>
            ) : null}
            {verify.error ? (
              <Alert color="red" role="alert" title={t('console.qris.verifyFailed')}>
                {(verify.error as Error).message}
              </Alert>
            ) : null}
          </Stack>
        </Card>
      ) : null}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (payload.trim()) save.mutate();
            }}
          >
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t('console.qris.pasteTitle')}
              </Title>
              <Textarea
                label={t('console.qris.payload')}
                description={t('console.qris.payloadHelp')}
                autosize
                minRows={3}
                maxRows={8}
                value={payload}
                onChange={(e) => setPayload(e.currentTarget.value)}
                error={save.error instanceof ApiError ? save.error.message : undefined}
                styles={{ input: { fontFamily: 'monospace', wordBreak: 'break-all' } }}
              />
              <Issues error={save.error} />
              <Group>
                <Button type="submit" disabled={!payload.trim()} loading={save.isPending}>
                  {t('console.qris.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('console.qris.uploadTitle')}
            </Title>
            <FileInput
              label={t('console.qris.image')}
              description={t('console.qris.imageHelp')}
              accept="image/png,image/jpeg"
              clearable
              value={image}
              onChange={setImage}
              error={upload.error instanceof ApiError ? upload.error.message : undefined}
            />
            <Issues error={upload.error} />
            <Group>
              <Button
                onClick={() => image && upload.mutate(image)}
                disabled={!image}
                loading={upload.isPending}
              >
                {t('console.qris.upload')}
              </Button>
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>

      {p ? (
        <Card withBorder>
          <Stack gap="md">
            <Title order={2} size="h3">
              {t('console.qris.codeTitle')}
            </Title>
            <TextInput
              label={t('console.qris.amount')}
              description={t('console.qris.amountHelp')}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={amountOk ? undefined : t('console.qris.amountInvalid')}
              maw={320}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
              <Stack gap="xs" align="center">
                <img
                  src={`${base}/qris.svg${qs ? `?${qs}` : ''}`}
                  alt={
                    dAmount && amountOk
                      ? t('console.qris.qrAltAmount', { name: p.merchantName ?? '', amount: dAmount })
                      : t('console.qris.qrAlt', { name: p.merchantName ?? '' })
                  }
                  data-testid="qris-image"
                  style={{ width: '100%', maxWidth: 280, height: 'auto', background: '#fff' }}
                />
                <Group gap="xs">
                  <Button
                    component="a"
                    size="xs"
                    variant="default"
                    href={`${base}/qris.png${qs ? `?${qs}&size=1024` : '?size=1024'}`}
                    download
                  >
                    {t('console.qris.downloadPng')}
                  </Button>
                  <Button
                    component="a"
                    size="xs"
                    variant="default"
                    href={`${base}/qris.svg${qs ? `?${qs}` : ''}`}
                    download
                  >
                    {t('console.qris.downloadSvg')}
                  </Button>
                </Group>
              </Stack>
              <Stack gap="xs" align="center">
                <div
                  className="jkp-qris-poster"
                  style={{ width: '100%', maxWidth: 300, border: '1px solid var(--mantine-color-gray-4)' }}
                >
                  <img
                    src={`${base}/qris/poster.svg${qs ? `?${qs}` : ''}`}
                    alt={t('console.qris.posterAlt', { name: p.merchantName ?? '' })}
                    data-testid="qris-poster"
                    style={{ display: 'block', width: '100%', height: 'auto' }}
                  />
                </div>
                <Group gap="xs">
                  <Button size="xs" onClick={() => window.print()}>
                    {t('console.qris.print')}
                  </Button>
                  <Button
                    component="a"
                    size="xs"
                    variant="default"
                    href={`${base}/qris/poster.svg${qs ? `?${qs}` : ''}`}
                    download
                  >
                    {t('console.qris.downloadPoster')}
                  </Button>
                </Group>
              </Stack>
            </SimpleGrid>
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value ?? '–'}</Text>
    </div>
  );
}

/** The codec's problems from a refused code (422 errors with paths like payload.63). */
function Issues({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) {
    return error ? (
      <Alert color="red" role="alert">
        {t('common.networkError')}
      </Alert>
    ) : null;
  }
  if (error.errors.length === 0) return null;
  return (
    <Alert color="red" role="alert" title={t('console.qris.errors')} data-testid="qris-errors">
      <List size="sm">
        {error.errors.map((e) => (
          <List.Item key={`${e.code}-${e.path}`}>
            {e.message}{' '}
            <Text span size="xs">
              ({e.path.replace(/^payload\.?/, t('console.qris.tag') + ' ')} · {e.code})
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
