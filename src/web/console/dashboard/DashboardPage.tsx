import {
  Alert,
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api.ts';
import { BarList } from '../../components/BarList.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { regionLabel, shortRegionLabel } from '../../regions.ts';
import { useMe } from '../../session.tsx';
import type { Bucket, Summary } from '../../types.ts';
import type { Table } from './export.ts';
import { Figure, NumberTable } from './Figure.tsx';
import { conversions } from './funnel.ts';
import { figureLink } from './links.ts';
import { QrisFigure } from './QrisFigure.tsx';
import TrendChart from './TrendChart.tsx';

type ListProbe = { items: { isDemo: boolean }[]; total: number };

/**
 * The dashboard's figures; also started by the login page as soon as the login answers (dashboardPrefetch): the
 * page then shows them at once, or joins the request in flight.
 */
export const summaryQuery = (lang: string) => ({
  queryKey: ['stats-summary', lang],
  queryFn: ({ signal }: { signal: AbortSignal }) => get<Summary>('/stats/summary', signal),
});
const demoProbeQuery = {
  queryKey: ['participants-demo-probe'],
  queryFn: ({ signal }: { signal: AbortSignal }) => get<ListProbe>('/participants?limit=1', signal),
  staleTime: 5 * 60_000,
};

/** Starts the dashboard's requests before its page renders (the login page calls it right after login). */
export function dashboardPrefetch(client: QueryClient, lang: string) {
  void client.prefetchQuery(summaryQuery(lang));
  void client.prefetchQuery(demoProbeQuery);
}

/**
 * The dashboard (officers and admins, scoped by the API to their area): the 7P funnel and validated count
 * first, then registered against target, QRIS adoption, trends, and the breakdowns, each with its numbers and
 * downloads. Every count links to the participants list filtered to the records behind it.
 */
export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('console.dashboard.title'));
  const q = useQuery(summaryQuery(i18n.language));
  const demo = useQuery(demoProbeQuery);
  const isDemo = demo.data?.items.some((p) => p.isDemo) ?? false;
  const s = q.data;

  return (
    <Stack gap="lg">
      <Group gap="sm" align="center">
        <Title order={1}>{t('console.dashboard.title')}</Title>
        {isDemo ? (
          <Badge color="orange" variant="filled" data-testid="demo-badge">
            {t('console.dashboard.demo')}
          </Badge>
        ) : null}
      </Group>
      {q.isError ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {(q.error as Error).message}
        </Alert>
      ) : null}
      {q.isPending ? <Skeleton height={320} /> : null}
      {s ? <Figures s={s} /> : null}
    </Stack>
  );
}

function Figures({ s }: { s: Summary }) {
  const { t } = useTranslation();
  const f = useFormat();
  const role = useMe().user?.role;
  // the list's area scope equals the figures' for these roles (a collaborator's figures are not kept by
  // organisation, so their counts would not match their list)
  const linkable = role === 'admin' || role === 'officer' || role === 'mentor';
  const to = (href: string) => (linkable ? href : undefined);
  const count = t('console.dashboard.count');
  const conv = conversions(s.funnel);
  const funnelTable: Table = {
    columns: [t('console.dashboard.stage'), count, t('console.dashboard.conversion')],
    rows: s.funnel.map((b, i) => [`${b.key} ${b.name}`, b.count, conv[i] ?? null]),
  };
  const simple = (buckets: Bucket[], label: (b: Bucket) => string, first: string): Table => ({
    columns: [first, count],
    rows: buckets.map((b) => [label(b), b.count]),
  });
  const statusLabel = (b: Bucket) => t(`status.${b.key}`, { defaultValue: b.name });
  const sectorLabel = (b: Bucket) => t(`sector.${b.key}`, { defaultValue: b.name });
  const yearTable = simple(s.byYear, (b) => b.name, t('console.dashboard.year'));
  const monthTable = simple(s.byMonth, (b) => b.name, t('console.dashboard.month'));
  const regencyTable = simple(s.byRegency, (b) => regionLabel(b.name), t('console.dashboard.city'));
  const districtTable = simple(s.byDistrict, (b) => regionLabel(b.name), t('console.dashboard.district'));
  const sectorTable = simple(s.bySector, sectorLabel, t('console.dashboard.sector'));
  const statusTable = simple(s.byStatus, statusLabel, t('console.dashboard.status'));
  const agencyTable: Table = {
    columns: [
      t('console.dashboard.agency'),
      count,
      t('console.dashboard.target'),
      t('console.dashboard.achievement'),
    ],
    rows: s.byAgency.map((b) => [
      b.name,
      b.count,
      b.target,
      b.target ? Math.round((b.count / b.target) * 1000) / 10 : null,
    ]),
  };
  const headlineTable: Table = {
    columns: [t('console.dashboard.figure'), t('console.dashboard.value')],
    rows: [
      [t('console.dashboard.registered'), s.registered],
      [t('console.dashboard.target'), s.target],
      [t('console.dashboard.achievement'), s.achievementPct],
      [t('status.validated'), s.validated],
      [t('status.verified'), s.verified],
      [t('status.pending'), s.pending],
      [t('status.rejected'), s.rejected],
    ],
  };
  const headlineLinks = [
    figureLink.all(),
    null,
    null,
    figureLink.status('validated'),
    figureLink.status('verified'),
    figureLink.status('registered'),
    figureLink.status('rejected'),
  ].map((l) => (l ? to(l) : null));
  const display = (tb: Table): Table => ({
    columns: tb.columns,
    rows: tb.rows.map((r) => r.map((v, i) => (i > 0 && typeof v === 'number' ? f.number(v) : v))),
  });
  const bars = (buckets: Bucket[], label: (b: Bucket) => string, link: (key: string) => string) =>
    buckets.map((b) => ({ key: b.key, label: label(b), value: b.count, to: to(link(b.key)) }));
  const tileNumber = (n: number, href: string, testId: string) => {
    const l = to(href);
    return (
      <Text fz={30} fw={800} data-testid={testId}>
        {l ? (
          <Anchor component={Link} to={l} inherit>
            {f.number(n)}
          </Anchor>
        ) : (
          f.number(n)
        )}
      </Text>
    );
  };

  return (
    <Stack gap="lg">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Figure title={t('console.dashboard.funnel')} table={funnelTable} testId="figure-funnel">
            <Text size="sm" c="gray.7">
              {t('console.dashboard.funnelHelp')}
            </Text>
            <BarList
              label={t('console.dashboard.funnel')}
              format={f.number}
              bars={s.funnel.map((b, i) => ({
                key: b.key,
                label: `${b.key} · ${b.name}`,
                value: b.count,
                note: conv[i] == null ? undefined : `(${f.percent(conv[i])})`,
                to: to(figureLink.stage(b.key)),
              }))}
            />
          </Figure>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Card withBorder padding="md">
              <Text size="sm" c="gray.7" fw={600}>
                {t('status.validated')}
              </Text>
              {tileNumber(s.validated, figureLink.status('validated'), 'tile-validated')}
            </Card>
            <Card withBorder padding="md">
              <Text size="sm" c="gray.7" fw={600}>
                {t('console.dashboard.registered')}
              </Text>
              {tileNumber(s.registered, figureLink.all(), 'tile-console.dashboard.registered')}
              <Text size="sm" data-testid="tile-target">
                {t('console.dashboard.ofTarget', {
                  target: f.number(s.target),
                  pct: f.percent(s.achievementPct),
                })}
              </Text>
              {s.achievementPct != null ? (
                <Progress
                  mt="xs"
                  value={Math.min(100, s.achievementPct)}
                  aria-label={t('console.dashboard.achievement')}
                />
              ) : null}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>

      <Figure title={t('console.dashboard.headline')} table={headlineTable} testId="figure-headline">
        <NumberTable
          table={{
            columns: headlineTable.columns,
            rows: headlineTable.rows.map((r, i) => [
              r[0],
              i === 2 ? f.percent(r[1] as number | null) : f.number(r[1] as number | null),
            ]),
          }}
          links={headlineLinks}
        />
        {s.duplicatesExcluded ? (
          <Text size="sm" c="gray.7" data-testid="duplicates-excluded">
            {t('console.dashboard.duplicatesExcluded', {
              count: s.duplicatesExcluded,
              n: f.number(s.duplicatesExcluded),
            })}
          </Text>
        ) : null}
      </Figure>

      <QrisFigure linkable={linkable} />

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Figure title={t('console.dashboard.byYear')} table={yearTable} testId="figure-year">
          <TrendChart
            kind="bar"
            data={s.byYear}
            label={t('console.dashboard.chartOf', { name: t('console.dashboard.byYear') })}
          />
          <NumberTable table={display(yearTable)} links={s.byYear.map((b) => to(figureLink.year(b.key)))} />
        </Figure>
        <Figure title={t('console.dashboard.byMonth')} table={monthTable} testId="figure-month">
          <TrendChart
            kind="line"
            data={s.byMonth}
            label={t('console.dashboard.chartOf', { name: t('console.dashboard.byMonth') })}
          />
          <NumberTable
            table={display(monthTable)}
            maxHeight={220}
            label={t('console.dashboard.byMonth')}
            links={s.byMonth.map((b) => to(figureLink.month(b.key)))}
          />
        </Figure>
        <Figure title={t('console.dashboard.byRegency')} table={regencyTable} testId="figure-regency">
          <BarList
            label={t('console.dashboard.byRegency')}
            format={f.number}
            bars={bars(s.byRegency, (b) => shortRegionLabel(b.name), figureLink.regency)}
          />
        </Figure>
        <Figure title={t('console.dashboard.byDistrict')} table={districtTable} testId="figure-district">
          <section
            style={{ maxHeight: 320, overflowY: 'auto' }}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
            tabIndex={0}
            aria-label={t('console.dashboard.byDistrict')}
          >
            <BarList
              label={t('console.dashboard.byDistrict')}
              format={f.number}
              bars={bars(
                [...s.byDistrict].sort((a, b) => b.count - a.count),
                (b) => regionLabel(b.name),
                figureLink.district,
              )}
            />
          </section>
        </Figure>
        <Figure title={t('console.dashboard.bySector')} table={sectorTable} testId="figure-sector">
          <BarList
            label={t('console.dashboard.bySector')}
            format={f.number}
            bars={bars(s.bySector, sectorLabel, figureLink.sector)}
          />
        </Figure>
        <Figure title={t('console.dashboard.byStatus')} table={statusTable} testId="figure-status">
          <BarList
            label={t('console.dashboard.byStatus')}
            format={f.number}
            bars={bars(s.byStatus, statusLabel, figureLink.status)}
          />
        </Figure>
        <Figure title={t('console.dashboard.byAgency')} table={agencyTable} testId="figure-agency">
          <BarList
            label={t('console.dashboard.byAgency')}
            format={f.number}
            bars={s.byAgency.map((b) => ({
              key: b.key,
              label: b.name,
              value: b.count,
              note: b.target
                ? t('console.dashboard.ofTargetShort', { target: f.number(b.target) })
                : undefined,
              to: to(figureLink.agency(b.key)),
            }))}
          />
        </Figure>
      </SimpleGrid>
      {s.byYear.length === 0 ? <Text c="gray.7">{t('common.noData')}</Text> : null}
    </Stack>
  );
}
