import {
  Alert,
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  useMatches,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { listQuery } from '../participants/filters.ts';
import {
  getLatestScan,
  LEVELS,
  type Level,
  PAIR_STATUSES,
  type PairList,
  type PairListItem,
  type PairStatus,
  startScan,
} from './data.ts';
import { LevelBadge } from './LevelBadge.tsx';

const PAGE_SIZE = 25;

/** Date and time in the UI language, Jakarta time ("12 Juni 2025 pukul 14.05"). */
export function useDateTime() {
  const f = useFormat();
  const fmt = new Intl.DateTimeFormat(f.locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  });
  return (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '–');
}

/**
 * The duplicate review queue: candidate pairs by status (open, later, merged, not a duplicate) and level (sure,
 * review), highest score first, paged by offset (the API counts them); and the background scan of the whole
 * registry with its progress. Filters and page live in the URL.
 */
export default function QueuePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  usePageTitle(t('console.duplicates.title'));
  const [params, setParams] = useSearchParams();
  const status = (PAIR_STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as PairStatus)
    : 'open';
  const level = (LEVELS as readonly string[]).includes(params.get('level') ?? '')
    ? (params.get('level') as Level)
    : '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const orientation = useMatches<'vertical' | 'horizontal'>({ base: 'vertical', sm: 'horizontal' });
  // a table from md on (the navigation takes a column from sm on); cards below
  const wide = useMatches({ base: false, md: true });

  const list = useQuery({
    queryKey: ['duplicates', status, level, page],
    queryFn: ({ signal }) =>
      get<PairList>(
        `/duplicates?${listQuery({
          status,
          level,
          limit: String(PAGE_SIZE),
          offset: String((page - 1) * PAGE_SIZE),
        })}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const error = list.error instanceof ApiError ? list.error : null;

  function set(name: 'status' | 'level' | 'page', value: string) {
    const next = new URLSearchParams(params);
    if (value && !(name === 'page' && value === '1')) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next, { replace: name !== 'page' });
  }
  const decided = status === 'merged' || status === 'not_duplicate';
  const open = (p: PairListItem) => navigate(`/console/duplicates/${p.id}`);

  return (
    <Stack gap="md">
      <Title order={1}>{t('console.duplicates.title')}</Title>
      <Text maw={820}>{t('console.duplicates.intro')}</Text>

      <ScanPanel />

      <Card withBorder padding="md">
        <Stack gap="sm">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="dup-status-label">
              {t('console.duplicates.statusLabel')}
            </Text>
            <SegmentedControl
              aria-labelledby="dup-status-label"
              value={status}
              onChange={(v) => set('status', v)}
              orientation={orientation}
              fullWidth
              maw={640}
              data={PAIR_STATUSES.map((s) => ({ value: s, label: t(`console.duplicates.status.${s}`) }))}
              data-testid="dup-status"
            />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="dup-level-label">
              {t('console.duplicates.levelLabel')}
            </Text>
            <SegmentedControl
              aria-labelledby="dup-level-label"
              aria-describedby="dup-level-help"
              value={level || 'all'}
              onChange={(v) => set('level', v === 'all' ? '' : v)}
              fullWidth
              maw={480}
              data={[
                { value: 'all', label: t('console.duplicates.levelAll') },
                ...LEVELS.map((l) => ({ value: l, label: t(`console.duplicates.level.${l}`) })),
              ]}
            />
            <Text size="xs" c="dimmed" id="dup-level-help" maw={820}>
              {t('console.duplicates.levelHelp')}
            </Text>
          </Stack>
        </Stack>
      </Card>

      {error ? (
        <Alert color="red" role="alert" title={t('common.loadFailed')}>
          {error.message}
        </Alert>
      ) : null}

      <Group justify="space-between" align="center">
        <Text aria-live="polite" data-testid="duplicate-total">
          {data ? t('console.duplicates.total', { count: data.total, n: f.number(data.total) }) : '\u00a0'}
        </Text>
        {list.isFetching ? (
          <Text size="sm" c="gray.7">
            {t('common.loading')}
          </Text>
        ) : null}
      </Group>

      {list.isPending ? (
        <Skeleton height={240} />
      ) : data && data.items.length === 0 ? (
        <Text>{t('console.duplicates.none')}</Text>
      ) : data && !wide ? (
        <Stack
          gap="sm"
          component="ul"
          aria-label={t('console.duplicates.results')}
          p={0}
          m={0}
          data-testid="duplicate-list"
        >
          {data.items.map((p) => (
            <Card key={p.id} withBorder padding="sm" component="li" style={{ listStyle: 'none' }}>
              <Stack gap="xs">
                <Group justify="space-between" gap="xs">
                  <Text fw={700}>{t('console.duplicates.pair.scoreIs', { score: f.number(p.score) })}</Text>
                  <LevelBadge level={p.level} />
                </Group>
                <Side s={p.a} label={t('console.duplicates.recordA')} />
                <Side s={p.b} label={t('console.duplicates.recordB')} />
                <When p={p} decided={decided} card />
                <ReviewLink p={p} fullWidth />
              </Stack>
            </Card>
          ))}
        </Stack>
      ) : data ? (
        <section aria-label={t('console.duplicates.results')} style={{ position: 'relative' }}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="duplicate-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.duplicates.score')}</Table.Th>
                <Table.Th>{t('console.duplicates.recordA')}</Table.Th>
                <Table.Th>{t('console.duplicates.recordB')}</Table.Th>
                <Table.Th>
                  {decided ? t('console.duplicates.decidedCol') : t('console.duplicates.found')}
                </Table.Th>
                <Table.Th>
                  <span className="jkp-visually-hidden">{t('console.duplicates.review')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((p) => (
                <Table.Tr key={p.id} style={{ cursor: 'pointer' }} onClick={() => open(p)}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Stack gap={4} align="flex-start">
                      <Text fw={700}>{f.number(p.score)}</Text>
                      <LevelBadge level={p.level} />
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Side s={p.a} />
                  </Table.Td>
                  <Table.Td>
                    <Side s={p.b} />
                  </Table.Td>
                  <Table.Td>
                    <When p={p} decided={decided} />
                  </Table.Td>
                  <Table.Td>
                    <ReviewLink p={p} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      ) : null}

      {data && data.total > PAGE_SIZE ? (
        <Group justify="space-between">
          <Button
            variant="default"
            disabled={page <= 1 || list.isFetching}
            onClick={() => set('page', String(page - 1))}
          >
            {t('console.duplicates.previous')}
          </Button>
          <Text size="sm" c="gray.7">
            {t('console.duplicates.page', { n: f.number(page), of: f.number(pages) })}
          </Text>
          <Button
            variant="default"
            disabled={page >= pages || list.isFetching}
            onClick={() => set('page', String(page + 1))}
          >
            {t('console.duplicates.next')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function Side({ s, label }: { s: PairListItem['a']; label?: string }) {
  return (
    <Stack gap={0}>
      {label ? (
        <Text size="xs" fw={700} c="gray.7">
          {label}
        </Text>
      ) : null}
      <Text fw={600} size="sm">
        {s.fullName}
      </Text>
      <Text size="xs">{s.registrationNumber}</Text>
      <Text size="xs" ff="monospace" c="gray.7">
        {s.nikMasked}
      </Text>
    </Stack>
  );
}

/** When the pair was found (and how), or when it was decided; in a card, in a sentence. */
function When({ p, decided, card }: { p: PairListItem; decided: boolean; card?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const source = t(`console.duplicates.source.${p.source}`, { defaultValue: p.source });
  if (card)
    return (
      <Text size="sm" c="gray.7">
        {decided
          ? t('console.duplicates.decided', { date: f.date(p.decidedAt) })
          : t('console.duplicates.pair.foundBy', { source, date: f.date(p.foundAt) })}
      </Text>
    );
  if (decided) return <Text size="sm">{f.date(p.decidedAt)}</Text>;
  return (
    <Text size="sm">
      {f.date(p.foundAt)}
      <Text span display="block" size="xs" c="gray.7">
        {source}
      </Text>
    </Text>
  );
}

function ReviewLink({ p, fullWidth }: { p: PairListItem; fullWidth?: boolean }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/console/duplicates/${p.id}`}
      size="xs"
      variant="light"
      fullWidth={fullWidth}
      onClick={(e: React.MouseEvent) => e.stopPropagation()}
      aria-label={t('console.duplicates.reviewPair', { a: p.a.fullName, b: p.b.fullName })}
    >
      {t('console.duplicates.review')}
    </Button>
  );
}

/** The latest scan of the whole registry: start one, its progress (polled while it runs), its result. */
function ScanPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const when = useDateTime();
  const qc = useQueryClient();
  const latest = useQuery({
    queryKey: ['duplicate-scan'],
    queryFn: ({ signal }) => getLatestScan(signal),
    refetchInterval: (q) => (q.state.data?.job?.status === 'running' ? 1000 : false),
  });
  const job = latest.data?.job ?? null;
  const running = job?.status === 'running';
  // when a scan finishes, the queue has new pairs
  const before = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (before.current === 'running' && job && job.status !== 'running')
      qc.invalidateQueries({ queryKey: ['duplicates'] });
    before.current = job?.status;
  }, [job, qc]);
  const start = useMutation({
    mutationFn: startScan,
    onSuccess: (j) => qc.setQueryData(['duplicate-scan'], { job: j }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['duplicate-scan'] }),
  });
  const pct = job ? Math.round(Math.min(1, Math.max(0, job.progress)) * 100) : 0;

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="scan-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={2} style={{ flex: '1 1 18rem' }}>
            <Title order={2} size="h4" id="scan-title">
              {t('console.duplicates.scan.title')}
            </Title>
            <Text size="sm">{t('console.duplicates.scan.help')}</Text>
          </Stack>
          <Button onClick={() => start.mutate()} loading={start.isPending} disabled={running}>
            {t('console.duplicates.scan.start')}
          </Button>
        </Group>
        {start.error ? (
          <Alert
            color="red"
            role="alert"
            title={t('console.duplicates.scan.startFailed')}
            data-testid="scan-error"
          >
            {(start.error as Error).message}
          </Alert>
        ) : null}
        <div aria-live="polite" data-testid="scan-status">
          {latest.isPending ? (
            <Skeleton height={20} />
          ) : !job ? (
            <Text size="sm" c="gray.7">
              {t('console.duplicates.scan.never')}
            </Text>
          ) : running ? (
            <Stack gap={4}>
              <Text size="sm">{t('console.duplicates.scan.running', { pct: f.percent(pct) })}</Text>
              <Progress
                value={pct}
                size="lg"
                animated
                aria-label={t('console.duplicates.scan.progressLabel')}
              />
            </Stack>
          ) : job.status === 'failed' ? (
            <Alert color="red" role="alert" title={t('console.duplicates.scan.failed')}>
              {job.error ?? ''}
            </Alert>
          ) : (
            <Stack gap={2}>
              <Text size="sm">{t('console.duplicates.scan.doneAt', { date: when(job.finishedAt) })}</Text>
              <SimpleGrid cols={{ base: 3 }} spacing="sm" maw={560} data-testid="scan-result">
                {(['records', 'pairs', 'sure'] as const).map((key) => (
                  <Card key={key} withBorder padding="xs" data-testid={`scan-${key}`}>
                    <Text size="xs" c="gray.7">
                      {t(`console.duplicates.scan.${key}`)}
                    </Text>
                    <Text fw={700} size="xl">
                      {f.number(job[key])}
                    </Text>
                  </Card>
                ))}
              </SimpleGrid>
            </Stack>
          )}
        </div>
      </Stack>
    </Card>
  );
}
