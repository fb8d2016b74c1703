import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { regionLabel } from '../../regions.ts';
import { useMe } from '../../session.tsx';
import type { Collaborator } from '../collaborators/types.ts';
import { QUALITY_CHECKS } from '../quality/types.ts';
import { type ListItem, type ListPage as Page, SECTORS, STATUSES, useRegionOptions } from './data.ts';
import { filtersOf, type ListFilter, listQuery } from './filters.ts';
import { StatusBadge } from './StatusBadge.tsx';

const PAGE_SIZE = 25;
const STAGES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'] as const;
type Agency = { code: string; name: string; nameEn: string | null };

/**
 * The participant list: search (debounced, or at once on Enter), filters kept in the URL under the API's names
 * (so a dashboard
 * figure links here with its filters), keyset pagination with a stack of cursors (the API never counts pages:
 * "next" follows nextCursor, "previous" pops the stack), masked NIK and phone.
 */
export default function ListPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const role = useMe().user?.role;
  usePageTitle(t('console.participants.title'));
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  // searched as the user types (after a pause), or at once on Enter / the phone keyboard's search key
  const [typed] = useDebouncedValue(text.trim(), 250);
  const [entered, setEntered] = useState<string | null>(null);
  const q = entered === text.trim() ? entered : typed;
  const filters = filtersOf(params);
  const key = listQuery({ q, ...filters });
  // the stack of cursors belongs to one search: a new search or filter starts again at the first page
  const [pager, setPager] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = pager.key === key ? pager.cursors : [null];
  const setCursors = (fn: (c: (string | null)[]) => (string | null)[]) =>
    setPager({ key, cursors: fn(cursors) });
  useEffect(() => {
    if ((params.get('q') ?? '') === q) return;
    const next = new URLSearchParams(params);
    if (q) next.set('q', q);
    else next.delete('q');
    setParams(next, { replace: true });
  }, [q, params, setParams]);

  const cursor = cursors[cursors.length - 1] ?? null;
  const list = useQuery({
    queryKey: ['participants', key, cursor],
    queryFn: ({ signal }) =>
      get<Page>(`/participants?${listQuery({ q, ...filters, limit: String(PAGE_SIZE), cursor })}`, signal),
    placeholderData: keepPreviousData,
  });
  const cities = useRegionOptions('31');
  const collaborators = useQuery({
    queryKey: ['collaborators', 'options'],
    queryFn: ({ signal }) => get<{ items: Collaborator[] }>('/collaborators', signal),
    enabled: role !== 'collaborator',
    staleTime: 5 * 60_000,
  });
  const districts = useRegionOptions(filters.regencyCode || null);
  const villages = useRegionOptions(filters.districtCode || null);
  const agencies = useQuery({
    queryKey: ['agencies'],
    queryFn: ({ signal }) => get<{ items: Agency[] }>('/agencies', signal),
    staleTime: 3600_000,
  });

  function setFilter(name: ListFilter, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === 'regencyCode') {
      next.delete('districtCode');
      next.delete('villageCode');
    }
    if (name === 'districtCode') next.delete('villageCode');
    setParams(next, { replace: true });
  }
  function clear() {
    setText('');
    setParams(new URLSearchParams(), { replace: true });
  }

  const choose = t('console.participants.all');
  const page = list.data;
  const error = list.error instanceof ApiError ? list.error : null;
  const canCreate = role && ['admin', 'officer', 'mentor', 'collaborator'].includes(role);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('console.participants.title')}</Title>
        {canCreate ? (
          <Button component={Link} to="/console/participants/new">
            {t('console.participants.new')}
          </Button>
        ) : null}
      </Group>
      <Card
        withBorder
        padding="md"
        component="form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setEntered(text.trim());
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('console.participants.search')}
            description={t('console.participants.searchHelp')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setEntered(e.currentTarget.value.trim());
            }}
            type="search"
            data-testid="participant-search"
          />
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            <NativeSelect
              label={t('register.city')}
              value={filters.regencyCode}
              onChange={(e) => setFilter('regencyCode', e.currentTarget.value)}
              data={[{ value: '', label: choose }, ...cities.options]}
            />
            <NativeSelect
              label={t('register.district')}
              value={filters.districtCode}
              disabled={!filters.regencyCode}
              onChange={(e) => setFilter('districtCode', e.currentTarget.value)}
              data={[{ value: '', label: choose }, ...districts.options]}
            />
            <NativeSelect
              label={t('register.village')}
              value={filters.villageCode}
              disabled={!filters.districtCode}
              onChange={(e) => setFilter('villageCode', e.currentTarget.value)}
              data={[{ value: '', label: choose }, ...villages.options]}
            />
            <NativeSelect
              label={t('register.sector')}
              value={filters.sector}
              onChange={(e) => setFilter('sector', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                ...SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) })),
              ]}
            />
            <NativeSelect
              label={t('console.participants.status')}
              value={filters.status}
              onChange={(e) => setFilter('status', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
              ]}
            />
            <NativeSelect
              label={t('console.participants.agency')}
              value={filters.agency}
              onChange={(e) => setFilter('agency', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                ...(agencies.data?.items ?? []).map((a) => ({
                  value: a.code,
                  label: i18n.language === 'en' && a.nameEn ? a.nameEn : a.name,
                })),
                // a code from a link, before the agencies have loaded
                ...(filters.agency && !agencies.data
                  ? [{ value: filters.agency, label: filters.agency }]
                  : []),
              ]}
            />
            <NativeSelect
              label={t('console.participants.stage')}
              value={filters.stage}
              onChange={(e) => setFilter('stage', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                ...STAGES.map((s) => ({ value: s, label: `${s} · ${t(`console.stages.${s}`)}` })),
              ]}
            />
            <NativeSelect
              label={t('console.participants.qris')}
              value={filters.qris}
              onChange={(e) => setFilter('qris', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                { value: 'declared', label: t('console.participants.qrisDeclared') },
                { value: 'verified', label: t('console.participants.qrisVerified') },
              ]}
            />
            {role !== 'collaborator' ? (
              <NativeSelect
                label={t('console.participants.collaborator')}
                value={filters.collaboratorId}
                onChange={(e) => setFilter('collaboratorId', e.currentTarget.value)}
                data={[
                  { value: '', label: choose },
                  ...(collaborators.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
                  // a collaborator from a link, before the list of names has arrived
                  ...(filters.collaboratorId &&
                  !collaborators.data?.items.some((c) => c.id === filters.collaboratorId)
                    ? [{ value: filters.collaboratorId, label: filters.collaboratorId }]
                    : []),
                ]}
              />
            ) : null}
            <NativeSelect
              label={t('console.participants.quality')}
              value={filters.quality}
              onChange={(e) => setFilter('quality', e.currentTarget.value)}
              data={[
                { value: '', label: choose },
                ...QUALITY_CHECKS.map((c) => ({ value: c, label: t(`console.quality.checks.${c}.title`) })),
              ]}
              data-testid="filter-quality"
            />
            <TextInput
              type="date"
              label={t('console.participants.registeredFrom')}
              value={filters.registeredFrom}
              onChange={(e) => setFilter('registeredFrom', e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('console.participants.registeredTo')}
              value={filters.registeredTo}
              onChange={(e) => setFilter('registeredTo', e.currentTarget.value)}
            />
            <Button variant="default" onClick={clear} style={{ alignSelf: 'end' }}>
              {t('console.participants.clear')}
            </Button>
          </SimpleGrid>
        </Stack>
      </Card>

      {error ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {error.errors.length > 0 ? error.errors.map((e) => e.message).join(' ') : error.message}
        </Alert>
      ) : null}

      <Group justify="space-between" align="center">
        <Text aria-live="polite" data-testid="participant-total">
          {page
            ? page.totalExact === false
              ? t('console.participants.totalAtLeast', { n: f.number(page.total) })
              : t('console.participants.total', { count: page.total, n: f.number(page.total) })
            : '\u00a0'}
        </Text>
        {list.isFetching ? (
          <Text size="sm" c="gray.7">
            {t('common.loading')}
          </Text>
        ) : null}
      </Group>

      {list.isPending ? (
        <Skeleton height={300} />
      ) : page && page.items.length === 0 ? (
        <Text>{t('console.participants.none')}</Text>
      ) : page ? (
        <ResultsTable items={page.items} />
      ) : null}

      <Group justify="space-between">
        <Button
          variant="default"
          disabled={cursors.length <= 1 || list.isFetching}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('console.participants.previous')}
        </Button>
        <Text size="sm" c="gray.7">
          {t('console.participants.page', { n: cursors.length })}
        </Text>
        <Button
          variant="default"
          disabled={!page?.nextCursor || list.isFetching}
          onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor])}
        >
          {t('console.participants.next')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The result rows: memoised, so that typing in the search box, a request starting or a select changing does not
 * render 25 rows again (it costs a phone's CPU hundreds of milliseconds); they render when the items change.
 */
const ResultsTable = memo(function ResultsTable({ items }: { items: ListItem[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  return (
    <section
      aria-label={t('console.participants.results')}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
      tabIndex={0}
      style={{ overflowX: 'auto' }}
    >
      <Table striped highlightOnHover miw={760} verticalSpacing="xs" data-testid="participant-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.participants.name')}</Table.Th>
            <Table.Th>{t('console.participants.regNo')}</Table.Th>
            <Table.Th>NIK</Table.Th>
            <Table.Th>{t('console.participants.phone')}</Table.Th>
            <Table.Th>{t('console.participants.area')}</Table.Th>
            <Table.Th>{t('register.sector')}</Table.Th>
            <Table.Th>{t('console.participants.status')}</Table.Th>
            <Table.Th>{t('console.participants.registeredAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((p) => (
            <Table.Tr
              key={p.id}
              style={{ cursor: 'pointer' }}
              onClick={() => navigate(`/console/participants/${p.id}`)}
            >
              <Table.Td>
                <Link to={`/console/participants/${p.id}`} onClick={(e) => e.stopPropagation()}>
                  {p.erased ? t('console.participants.erased') : p.fullName}
                </Link>
                {p.businessName ? (
                  <Text size="xs" c="gray.7">
                    {p.businessName}
                  </Text>
                ) : null}
                {p.isDemo ? (
                  <Badge size="xs" color="orange" variant="filled" ml={4}>
                    {t('console.participants.demo')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>{p.registrationNumber}</Table.Td>
              <Table.Td ff="monospace">{p.nik ?? '–'}</Table.Td>
              <Table.Td ff="monospace">{p.phone ?? '–'}</Table.Td>
              <Table.Td>
                {p.villageName ? regionLabel(p.villageName) : '–'}
                {p.districtName ? (
                  <Text size="xs" c="gray.7">
                    {regionLabel(p.districtName)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{p.sector ? t(`sector.${p.sector}`, { defaultValue: p.sector }) : '–'}</Table.Td>
              <Table.Td>
                <StatusBadge status={p.status} />
              </Table.Td>
              <Table.Td>{f.date(p.registeredAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
});
