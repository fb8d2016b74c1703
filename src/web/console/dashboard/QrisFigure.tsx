import { Alert, Anchor, Card, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { regionLabel, shortRegionLabel } from '../../regions.ts';
import type { QrisShare, QrisStats } from '../../types.ts';
import type { Table } from './export.ts';
import { Figure } from './Figure.tsx';
import { figureLink, type QrisKind } from './links.ts';
import classes from './ShareBars.module.css';

type Where = { regencyCode?: string; sector?: string };

/**
 * QRIS adoption (GET /stats/qris): the share of participants with a verified QRIS profile, with the
 * self-declared share beside it, overall, by city and by sector. Each count opens the records behind it.
 */
export function QrisFigure({ linkable }: { linkable: boolean }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['stats-qris', i18n.language],
    queryFn: ({ signal }) => get<QrisStats>('/stats/qris', signal),
  });
  const title = t('console.dashboard.qris');
  if (q.isPending) return <Skeleton height={280} />;
  if (q.isError || !q.data) {
    return (
      <Alert color="red" title={`${title}: ${t('common.loadFailed')}`}>
        {(q.error as Error | null)?.message}
      </Alert>
    );
  }
  const s = q.data;
  const sectorLabel = (b: QrisShare) => t(`sector.${b.key}`, { defaultValue: b.name });
  const row = (group: string, name: string, b: Omit<QrisShare, 'key' | 'name'>) => [
    group,
    name,
    b.registered,
    b.verified,
    b.verifiedPct,
    b.declared,
    b.declaredPct,
  ];
  const table: Table = {
    columns: [
      t('console.dashboard.qrisGroup'),
      t('console.dashboard.qrisName'),
      t('console.dashboard.registered'),
      t('console.dashboard.qrisVerified'),
      t('console.dashboard.qrisVerifiedPct'),
      t('console.dashboard.qrisDeclared'),
      t('console.dashboard.qrisDeclaredPct'),
    ],
    rows: [
      row(t('console.dashboard.total'), t('console.participants.all'), s),
      ...s.byRegency.map((b) => row(t('console.dashboard.city'), regionLabel(b.name), b)),
      ...s.bySector.map((b) => row(t('console.dashboard.sector'), sectorLabel(b), b)),
    ],
  };
  const link = (kind: QrisKind, where: Where = {}) => (linkable ? figureLink.qris(kind, where) : undefined);
  return (
    <Figure title={title} table={table} testId="figure-qris">
      <Text size="sm" c="gray.7">
        {t('console.dashboard.qrisHelp')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <ShareTile
          testId="qris-verified"
          label={t('console.dashboard.qrisVerified')}
          swatch={classes.verified}
          pct={f.percent(s.verifiedPct)}
          detail={t('console.dashboard.qrisOf', {
            n: f.number(s.verified),
            registered: f.number(s.registered),
          })}
          to={link('verified')}
        />
        <ShareTile
          testId="qris-declared"
          label={t('console.dashboard.qrisDeclared')}
          swatch={classes.declared}
          pct={f.percent(s.declaredPct)}
          detail={t('console.dashboard.qrisOf', {
            n: f.number(s.declared),
            registered: f.number(s.registered),
          })}
          to={link('declared')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('console.dashboard.byRegency')}
          </Title>
          <ShareBars
            label={`${title}: ${t('console.dashboard.byRegency')}`}
            rows={s.byRegency.map((b) => ({
              ...b,
              label: shortRegionLabel(b.name),
              where: { regencyCode: b.key },
            }))}
            link={link}
          />
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('console.dashboard.bySector')}
          </Title>
          <ShareBars
            label={`${title}: ${t('console.dashboard.bySector')}`}
            rows={s.bySector.map((b) => ({ ...b, label: sectorLabel(b), where: { sector: b.key } }))}
            link={link}
          />
        </Stack>
      </SimpleGrid>
      <div className={classes.legend}>
        <span>
          <span className={`${classes.swatch} ${classes.verified}`} aria-hidden="true" />
          {t('console.dashboard.qrisVerified')}
        </span>
        <span>
          <span className={`${classes.swatch} ${classes.declared}`} aria-hidden="true" />
          {t('console.dashboard.qrisDeclared')}
        </span>
      </div>
    </Figure>
  );
}

function ShareTile({
  label,
  swatch,
  pct,
  detail,
  to,
  testId,
}: {
  label: string;
  swatch: string;
  pct: string;
  detail: string;
  to?: string;
  testId: string;
}) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="sm" fw={600} c="gray.7" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <span className={`${classes.swatch} ${swatch}`} aria-hidden="true" />
        {label}
      </Text>
      <Text fz={26} fw={800}>
        {pct}
      </Text>
      {to ? (
        <Anchor component={Link} to={to} size="sm">
          {detail}
        </Anchor>
      ) : (
        <Text size="sm">{detail}</Text>
      )}
    </Card>
  );
}

type ShareRow = QrisShare & { label: string; where: Where };

/**
 * Two bars per row (verified, declared), each on a 0-100 % track of the row's registered participants, with
 * the share and the count beside them. A list for screen readers; each count is a link to its records.
 */
function ShareBars({
  rows,
  label,
  link,
}: {
  rows: ShareRow[];
  label: string;
  link: (kind: QrisKind, where: Where) => string | undefined;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = (pct: number | null, n: number) => `${f.percent(pct)} (${f.number(n)})`;
  const width = Math.max(
    10,
    ...rows.flatMap((r) => [text(r.verifiedPct, r.verified).length, text(r.declaredPct, r.declared).length]),
  );
  const value = (kind: QrisKind, r: ShareRow) => {
    const pct = kind === 'verified' ? r.verifiedPct : r.declaredPct;
    const n = kind === 'verified' ? r.verified : r.declared;
    const name = t(kind === 'verified' ? 'console.dashboard.qrisVerified' : 'console.dashboard.qrisDeclared');
    const body = (
      <>
        <span className="jkp-visually-hidden">{name}: </span>
        <strong>{f.percent(pct)}</strong> ({f.number(n)})
      </>
    );
    const to = link(kind, r.where);
    return (
      <span className={classes.value}>
        <span className={`${classes.swatch} ${classes[kind]}`} aria-hidden="true" />
        {to ? (
          <Anchor component={Link} to={to} fz="xs" data-testid={`qris-${kind}-${r.key}`}>
            {body}
          </Anchor>
        ) : (
          <span>{body}</span>
        )}
      </span>
    );
  };
  return (
    <ul
      className={classes.list}
      aria-label={label}
      style={{ '--jkp-value-width': `${width + 3}ch` } as React.CSSProperties}
    >
      {rows.map((r) => (
        <li key={r.key} className={classes.item}>
          <span className={classes.label}>{r.label}</span>
          <span className={classes.bars} aria-hidden="true">
            <span className={classes.track}>
              <span
                className={`${classes.fill} ${classes.verified}`}
                style={{ width: `${Math.min(100, r.verifiedPct ?? 0)}%` }}
              />
            </span>
            <span className={classes.track}>
              <span
                className={`${classes.fill} ${classes.declared}`}
                style={{ width: `${Math.min(100, r.declaredPct ?? 0)}%` }}
              />
            </span>
          </span>
          <span className={classes.values}>
            <span className="jkp-visually-hidden">: </span>
            {value('verified', r)}
            {value('declared', r)}
          </span>
        </li>
      ))}
    </ul>
  );
}
