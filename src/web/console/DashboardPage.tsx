import { Alert, Card, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useFormat } from '../format.ts';
import type { Summary } from '../types.ts';

/** Placeholder dashboard: the caller's scoped totals from GET /stats/summary (the full dashboard replaces it). */
export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  usePageTitle(t('console.dashboard.title'));
  const q = useQuery({
    queryKey: ['stats-summary', i18n.language],
    queryFn: ({ signal }) => get<Summary>('/stats/summary', signal),
  });
  const s = q.data;
  const tiles: [string, string][] = s
    ? [
        ['console.dashboard.registered', f.number(s.registered)],
        ['console.dashboard.target', f.number(s.target)],
        ['console.dashboard.achievement', f.percent(s.achievementPct)],
        ['status.validated', f.number(s.validated)],
        ['status.verified', f.number(s.verified)],
        ['status.pending', f.number(s.pending)],
        ['status.rejected', f.number(s.rejected)],
      ]
    : [];
  return (
    <Stack gap="lg">
      <Title order={1}>{t('console.dashboard.title')}</Title>
      {q.isError ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {(q.error as Error).message}
        </Alert>
      ) : null}
      {q.isPending ? <Skeleton height={160} /> : null}
      {s ? (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md">
          {tiles.map(([key, value]) => (
            <Card withBorder padding="md" key={key}>
              <Text size="sm" c="gray.7" fw={600}>
                {t(key)}
              </Text>
              <Text fz={26} fw={800} data-testid={`tile-${key}`}>
                {value}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      ) : null}
    </Stack>
  );
}
