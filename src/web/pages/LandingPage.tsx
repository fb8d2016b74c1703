import {
  Alert,
  Button,
  Card,
  Container,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BarList } from '../components/BarList.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useFormat } from '../format.ts';
import { useResource } from '../lib/resource.ts';
import { shortRegionLabel } from '../regions.ts';
import type { PublicStats } from '../types.ts';

/**
 * The public figures; names (stages, sectors) follow the language, so the cache key holds it, and the browser
 * revalidates (the answer is cacheable for 60 s but does not say it varies by Accept-Language).
 */
export function usePublicStats() {
  const { i18n } = useTranslation();
  return useResource<PublicStats>('/public/stats', {
    key: `public-stats:${i18n.language}`,
    cache: 'no-cache',
  });
}

export default function LandingPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const stats = usePublicStats();
  usePageTitle(t('landing.pageTitle'));
  const s = stats.data;
  const pct = s?.achievementPct ?? null;
  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="sm" component="section" aria-labelledby="landing-title">
          <Title order={1} id="landing-title" fz={{ base: 28, sm: 40 }} lh={1.15}>
            {t('landing.title')}
          </Title>
          <Text size="lg" maw={720}>
            {t('landing.lead')}
          </Text>
          <Group gap="sm" mt="xs">
            <Button component={Link} to="/register" size="md">
              {t('landing.cta')}
            </Button>
            <Button component={Link} to="/login" size="md" variant="default">
              {t('landing.login')}
            </Button>
          </Group>
        </Stack>

        <Stack gap="md" component="section" aria-labelledby="figures-title">
          <Group justify="space-between" align="baseline" gap="xs">
            <Title order={2} id="figures-title" fz={{ base: 22, sm: 26 }}>
              {t('landing.figures')}
            </Title>
            {s?.program.name ? (
              <Text size="sm" c="gray.7">
                {s.program.name}
                {s.program.periodStart && s.program.periodEnd
                  ? ` · ${s.program.periodStart.slice(0, 4)}–${s.program.periodEnd.slice(0, 4)}`
                  : ''}
              </Text>
            ) : null}
          </Group>
          {stats.error && !s ? (
            <Alert color="red" title={t('common.loadFailed')}>
              {stats.error.message}
            </Alert>
          ) : null}
          {stats.isPending ? (
            <Stack gap="sm" aria-busy="true">
              <Skeleton height={120} />
              <Skeleton height={200} />
            </Stack>
          ) : null}
          {s ? (
            <>
              <Card withBorder padding="lg">
                <Text size="sm" fw={600} c="gray.7">
                  {t('landing.registered')}
                </Text>
                <Group align="baseline" gap="xs" mt={4} wrap="wrap">
                  <Text fz={{ base: 30, sm: 36 }} fw={800} lh={1.1} data-testid="registered-total">
                    {f.number(s.registered)}
                  </Text>
                  {s.target ? (
                    <Text c="gray.7">{t('landing.ofTarget', { target: f.number(s.target) })}</Text>
                  ) : null}
                  {pct != null ? (
                    <Text fw={800} fz="lg" c="blue.9" data-testid="achievement">
                      ({f.percent(pct)})
                    </Text>
                  ) : null}
                </Group>
                {pct != null ? (
                  <Progress
                    value={Math.min(100, pct)}
                    mt="md"
                    size="lg"
                    aria-label={t('landing.progressLabel', { pct: f.percent(pct) })}
                  />
                ) : null}
                <SimpleGrid cols={{ base: 2, sm: 4 }} mt="lg" spacing="sm">
                  {(
                    [
                      ['validated', s.validated],
                      ['verified', s.verified],
                      ['pending', s.pending],
                      ['rejected', s.rejected],
                    ] as const
                  ).map(([k, v]) => (
                    <div key={k}>
                      <Text size="xs" c="gray.7" tt="uppercase" fw={600}>
                        {t(`status.${k}`)}
                      </Text>
                      <Text fw={700} size="lg">
                        {f.number(v)}
                      </Text>
                    </div>
                  ))}
                </SimpleGrid>
              </Card>

              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                <Card withBorder padding="lg">
                  <Title order={3} size="h4" mb="sm" id="by-city">
                    {t('landing.byCity')}
                  </Title>
                  {s.byRegency.length > 0 ? (
                    <BarList
                      label={t('landing.byCity')}
                      format={f.number}
                      bars={[...s.byRegency]
                        .sort((a, b) => b.count - a.count)
                        .map((b) => ({ key: b.key, label: shortRegionLabel(b.name), value: b.count }))}
                    />
                  ) : (
                    <Text c="gray.7">{t('common.noData')}</Text>
                  )}
                </Card>
                <Card withBorder padding="lg">
                  <Title order={3} size="h4" mb="sm">
                    {t('landing.byYear')}
                  </Title>
                  {s.byYear.length > 0 ? (
                    <BarList
                      label={t('landing.byYear')}
                      format={f.number}
                      bars={s.byYear.map((b) => ({ key: b.key, label: b.name, value: b.count }))}
                    />
                  ) : (
                    <Text c="gray.7">{t('common.noData')}</Text>
                  )}
                </Card>
              </SimpleGrid>

              {s.funnel.length > 0 ? (
                <Card withBorder padding="lg">
                  <Title order={3} size="h4">
                    {t('landing.path')}
                  </Title>
                  <Text size="sm" c="gray.7" mb="sm">
                    {t('landing.pathLead')}
                  </Text>
                  <BarList
                    label={t('landing.path')}
                    format={f.number}
                    max={Math.max(1, s.funnel[0]?.count ?? 0, s.registered)}
                    bars={s.funnel.map((b) => ({ key: b.key, label: `${b.key} ${b.name}`, value: b.count }))}
                  />
                </Card>
              ) : null}
            </>
          ) : null}
        </Stack>

        <Card withBorder padding="lg" component="section" aria-labelledby="join-title">
          <Title order={2} id="join-title" fz={{ base: 20, sm: 24 }}>
            {t('landing.joinTitle')}
          </Title>
          <Text mt="xs">{t('landing.joinText')}</Text>
          <Group mt="md">
            <Button component={Link} to="/register">
              {t('landing.cta')}
            </Button>
          </Group>
        </Card>
      </Stack>
    </Container>
  );
}
