import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type React from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { API_BASE, ApiError, get } from '../../api.ts';
import { BarList } from '../../components/BarList.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { regionLabel, shortRegionLabel } from '../../regions.ts';
import { type CheckResult, listLink, type QualityReport, type Who } from './types.ts';

/** the options set on the page; the others pass through from the address (e.g. ?sharedPhoneMin=2) */
const OPTION_KEYS = ['pendingDays', 'inactiveMonths'] as const;
const PASS_KEYS = [
  ...OPTION_KEYS,
  'dailyMin',
  'burstDays',
  'burstMin',
  'burstFactor',
  'sameSourceMin',
  'sharedPhoneMin',
] as const;
const TOP = 8;

/**
 * Data quality (officers and admins, scoped by the API to their area): each check as a count linking to the
 * participant list filtered to it, with bars by area and by collaborator; then the anomaly tables. The whole
 * report downloads as CSV or XLSX from the server (GET /exports/quality).
 */
export default function QualityPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  usePageTitle(t('console.quality.title'));
  const [params, setParams] = useSearchParams();
  const options = Object.fromEntries(
    PASS_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])),
  ) as Record<string, string>;
  const qs = new URLSearchParams(options).toString();
  const q = useQuery({
    queryKey: ['quality-report', qs, i18n.language],
    queryFn: ({ signal }) => get<QualityReport>(`/quality/report${qs ? `?${qs}` : ''}`, signal),
  });
  const r = q.data;
  const [form, setForm] = useState<Record<string, string>>({});
  const value = (k: (typeof OPTION_KEYS)[number]) => form[k] ?? options[k] ?? (r ? String(r.options[k]) : '');
  function apply(e: React.FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams(params);
    for (const k of OPTION_KEYS) {
      const v = value(k).trim();
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
    setForm({});
  }
  const download = (format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams({ format, lang: i18n.language === 'en' ? 'en' : 'id', ...options });
    return `${API_BASE}/exports/quality?${p}`;
  };
  const error = q.error instanceof ApiError ? q.error : null;
  const fieldError = (k: string) => error?.fieldMessage(k) ?? null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('console.quality.title')}</Title>
        <Group gap="xs">
          <Button component="a" href={download('csv')} download variant="default" data-testid="quality-csv">
            {t('console.quality.downloadCsv')}
          </Button>
          <Button component="a" href={download('xlsx')} download variant="default">
            {t('console.quality.downloadXlsx')}
          </Button>
        </Group>
      </Group>
      <Text c="gray.7">{t('console.quality.intro')}</Text>
      <Card
        withBorder
        padding="md"
        component="form"
        onSubmit={apply}
        aria-label={t('console.quality.options')}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            type="number"
            min={1}
            max={3650}
            label={t('console.quality.pendingDays')}
            value={value('pendingDays')}
            onChange={(e) => setForm({ ...form, pendingDays: e.currentTarget.value })}
            error={fieldError('pendingDays')}
            w={{ base: '100%', xs: 260 }}
          />
          <TextInput
            type="number"
            min={1}
            max={240}
            label={t('console.quality.inactiveMonths')}
            value={value('inactiveMonths')}
            onChange={(e) => setForm({ ...form, inactiveMonths: e.currentTarget.value })}
            error={fieldError('inactiveMonths')}
            w={{ base: '100%', xs: 260 }}
          />
          <Button type="submit">{t('console.quality.apply')}</Button>
        </Group>
      </Card>
      {q.isError ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {error && error.errors.length > 0 ? error.errors.map((e) => e.message).join(' ') : q.error.message}
        </Alert>
      ) : null}
      {q.isPending ? <Skeleton height={320} /> : null}
      {r ? (
        <>
          <Text data-testid="quality-total">
            {t('console.quality.checked', { n: f.number(r.total), date: f.date(r.generatedAt) })}
          </Text>
          {r.mergedExcluded ? (
            <Text size="sm" c="gray.7" data-testid="quality-merged-excluded">
              {t('console.quality.mergedExcluded', {
                count: r.mergedExcluded,
                n: f.number(r.mergedExcluded),
              })}
            </Text>
          ) : null}
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            {r.checks.map((c) => (
              <CheckCard key={c.key} c={c} r={r} />
            ))}
          </SimpleGrid>
          <Anomalies r={r} />
        </>
      ) : null}
    </Stack>
  );
}

function CheckCard({ c, r }: { c: CheckResult; r: QualityReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const title = t(`console.quality.checks.${c.key}.title`);
  const help = t(`console.quality.checks.${c.key}.help`, {
    days: r.options.pendingDays,
    months: r.options.inactiveMonths,
  });
  // a scope of one city shows its kecamatan; the whole program its cities
  const byCity = !r.scope || c.byRegency.length > 1;
  const areaBars = (byCity ? c.byRegency : c.byDistrict).slice(0, TOP).map((b) => ({
    key: b.key,
    label: byCity ? shortRegionLabel(b.name) : regionLabel(b.name),
    value: b.count,
    to: listLink(
      c.key,
      r.options,
      byCity ? { regencyCode: b.key } : { regencyCode: b.key.slice(0, 5), districtCode: b.key },
    ),
  }));
  const collaboratorBars = c.byCollaborator.slice(0, 5).map((b) => ({
    key: b.key ?? '-',
    label: b.name ?? t('console.quality.noCollaborator'),
    value: b.count,
    to: b.key ? listLink(c.key, r.options, { collaboratorId: b.key }) : undefined,
  }));
  const pct = r.total > 0 ? (c.count / r.total) * 100 : null;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id} data-testid={`check-${c.key}`}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        <Group gap="sm" align="baseline">
          {c.count > 0 ? (
            <Anchor
              component={Link}
              to={listLink(c.key, r.options)}
              fz={30}
              fw={800}
              aria-label={t('console.quality.viewList', { n: f.number(c.count), name: title })}
              data-testid={`count-${c.key}`}
            >
              {f.number(c.count)}
            </Anchor>
          ) : (
            <Text fz={30} fw={800} data-testid={`count-${c.key}`}>
              0
            </Text>
          )}
          {pct != null ? (
            <Text size="sm" c="gray.7">
              {t('console.quality.share', { pct: f.percent(Math.round(pct * 10) / 10) })}
            </Text>
          ) : null}
        </Group>
        <Text size="sm" c="gray.7">
          {help}
        </Text>
        {c.details ? (
          <ul style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {Object.entries(c.details).map(([k, n]) => (
              <li key={k}>
                <Text size="sm" span>
                  {t(`console.quality.details.${k}`)}: <strong>{f.number(n)}</strong>
                </Text>
              </li>
            ))}
          </ul>
        ) : null}
        {c.count > 0 ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <div>
              <Title order={3} size="h6" mb={6}>
                {byCity ? t('console.quality.byCity') : t('console.quality.byDistrict')}
              </Title>
              <BarList
                label={`${title}: ${byCity ? t('console.quality.byCity') : t('console.quality.byDistrict')}`}
                format={f.number}
                bars={areaBars}
              />
            </div>
            <div>
              <Title order={3} size="h6" mb={6}>
                {t('console.quality.byCollaborator')}
              </Title>
              <BarList
                label={`${title}: ${t('console.quality.byCollaborator')}`}
                format={f.number}
                bars={collaboratorBars}
              />
            </div>
          </SimpleGrid>
        ) : null}
      </Stack>
    </Card>
  );
}

/** A titled anomaly table (or "none"), scrolling sideways on a phone. */
function AnomalyTable({
  title,
  help,
  columns,
  rows,
  testId,
}: {
  title: string;
  help: string;
  columns: string[];
  rows: React.ReactNode[][];
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Stack gap="xs">
        <Title order={3} size="h5" id={id}>
          {title}
        </Title>
        <Text size="sm" c="gray.7">
          {help}
        </Text>
        {rows.length === 0 ? (
          <Text size="sm">{t('console.quality.none')}</Text>
        ) : (
          <section
            aria-label={title}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
            tabIndex={0}
            style={{ overflowX: 'auto' }}
          >
            <Table striped withTableBorder fz="sm" verticalSpacing={4} miw={640}>
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) => (
                    <Table.Th key={c}>{c}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no other identity
                  <Table.Tr key={i}>
                    {row.map((v, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                      <Table.Td key={j}>{v}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </section>
        )}
      </Stack>
    </Card>
  );
}

function Anomalies({ r }: { r: QualityReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const a = r.anomalies;
  const o = r.options;
  const kind = (k: 'user' | 'collaborator', role: string | null) =>
    k === 'collaborator' ? t('console.quality.col.collaborator') : role ? t(`role.${role}`) : '–';
  const who = (w: Who | null) => (w ? `${w.name} (${f.number(w.count)})` : '–');
  const day = (iso: string) => f.date(`${iso}T12:00:00+07:00`);
  const sourceColumns = [
    t('console.quality.col.source'),
    t('console.quality.col.records'),
    t('console.quality.col.users'),
    t('console.quality.col.self'),
    t('console.quality.col.mostlyBy'),
    t('console.quality.col.collaborator'),
    t('console.quality.col.last'),
  ];
  return (
    <Stack gap="md">
      <Title order={2}>{t('console.quality.anomalies')}</Title>
      <Text c="gray.7">{t('console.quality.anomaliesIntro')}</Text>
      <AnomalyTable
        testId="anomaly-daily"
        title={t('console.quality.daily.title')}
        help={t('console.quality.daily.help', { n: o.dailyMin })}
        columns={[
          t('console.quality.col.kind'),
          t('console.quality.col.name'),
          t('console.quality.col.peakDay'),
          t('console.quality.col.onThatDay'),
          t('console.quality.col.days'),
          t('console.quality.col.total'),
          t('console.quality.col.perDay'),
        ]}
        rows={a.dailyPeaks.map((p) => [
          kind(p.kind, p.role),
          p.name,
          day(p.peakDate),
          f.number(p.peakCount),
          f.number(p.days),
          f.number(p.total),
          f.number(p.averagePerDay),
        ])}
      />
      <AnomalyTable
        testId="anomaly-bursts"
        title={t('console.quality.bursts.title')}
        help={t('console.quality.bursts.help', {
          days: o.burstDays,
          min: o.burstMin,
          factor: o.burstFactor,
          deadlines: a.deadlines.map(day).join(', ') || '–',
        })}
        columns={[
          t('console.quality.col.deadline'),
          t('console.quality.col.kind'),
          t('console.quality.col.name'),
          t('console.quality.col.inWindow'),
          t('console.quality.col.inYear'),
          t('console.quality.col.pace'),
        ]}
        rows={a.deadlineBursts.map((b) => [
          day(b.deadline),
          kind(b.kind, b.role),
          b.name,
          f.number(b.windowCount),
          f.number(b.yearCount),
          `${f.number(b.ratio)}×`,
        ])}
      />
      <AnomalyTable
        testId="anomaly-ips"
        title={t('console.quality.ips.title')}
        help={t('console.quality.ips.help', { n: o.sameSourceMin })}
        columns={sourceColumns}
        rows={a.ips.map((s) => [
          <Text key="l" size="sm" ff="monospace">
            {s.label} · {s.ref}
          </Text>,
          f.number(s.records),
          f.number(s.users),
          f.number(s.selfRegistrations),
          who(s.topUser),
          who(s.topCollaborator),
          f.date(s.lastAt),
        ])}
      />
      <AnomalyTable
        testId="anomaly-devices"
        title={t('console.quality.devices.title')}
        help={t('console.quality.devices.help', { n: o.sameSourceMin })}
        columns={sourceColumns}
        rows={a.devices.map((s) => [
          <Text key="l" size="sm" ff="monospace">
            {s.label}
          </Text>,
          f.number(s.records),
          f.number(s.users),
          f.number(s.selfRegistrations),
          who(s.topUser),
          who(s.topCollaborator),
          f.date(s.lastAt),
        ])}
      />
      <AnomalyTable
        testId="anomaly-phones"
        title={t('console.quality.phones.title')}
        help={t('console.quality.phones.help', { n: o.sharedPhoneMin })}
        columns={[
          t('console.quality.col.phone'),
          t('console.quality.col.records'),
          t('console.quality.col.districts'),
          t('console.quality.col.users'),
          t('console.quality.col.mostlyBy'),
          t('console.quality.col.collaborator'),
          t('console.quality.col.last'),
        ]}
        rows={a.sharedPhones.map((p) => [
          <Text key="p" size="sm" ff="monospace">
            {p.phone}
          </Text>,
          f.number(p.records),
          f.number(p.districts),
          f.number(p.users),
          who(p.topUser),
          who(p.topCollaborator),
          f.date(p.lastAt),
        ])}
      />
    </Stack>
  );
}
