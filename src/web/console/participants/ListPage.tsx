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
import { keepPreviousData, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type MouseEvent,
  memo,
  type ReactElement,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { regionLabel } from '../../regions.ts';
import { useMe } from '../../session.tsx';
import type { Collaborator } from '../collaborators/types.ts';
import { QUALITY_CHECKS } from '../quality/types.ts';
import {
  type ListItem,
  type ListPage as Page,
  SECTORS,
  STATUSES,
  type Status,
  useRegionOptions,
} from './data.ts';
import { filtersOf, LIST_FILTERS, type ListFilter, listQuery } from './filters.ts';
import classes from './ListPage.module.css';
import { statusBadge } from './StatusBadge.tsx';

const PAGE_SIZE = 25;
/**
 * The pause in typing after which the search runs (Enter or the phone keyboard's search key: at once). Short,
 * since a search typed further cancels the request of the one before.
 */
const TYPING_PAUSE_MS = 200;
const STAGES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'] as const;
type Agency = { code: string; name: string; nameEn: string | null };
type Filters = Record<ListFilter, string>;
/** What the list shows: the search and the filters. */
type ListState = { q: string; filters: Filters };
const stateKey = (s: ListState) => listQuery({ q: s.q, ...s.filters });

/** A page of the list for a state key (the search and filters as a query string) and a cursor. */
const listOptions = (key: string, cursor: string | null) =>
  queryOptions({
    queryKey: ['participants', key, cursor],
    queryFn: ({ signal }) =>
      get<Page>(
        `/participants?${listQuery({ ...Object.fromEntries(new URLSearchParams(key)), limit: String(PAGE_SIZE), cursor })}`,
        signal,
      ),
  });

/**
 * The list's search and filters, kept in the URL under the API's names (so a dashboard figure links here with
 * its filters). A change starts its request at once, shows at once, and the URL follows: React Router applies a
 * navigation in a transition that renders every component reading the location again, and on a slow phone
 * waiting for it before asking the server cost seconds. Until the navigation lands the page shows the change;
 * a URL changed from elsewhere (a link) wins.
 */
function useListState() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fromUrl = useMemo<ListState>(
    () => ({ q: params.get('q') ?? '', filters: filtersOf(params) }),
    [params],
  );
  const urlKey = stateKey(fromUrl);
  const [local, setLocal] = useState<{ from: string; state: ListState } | null>(null);
  const state = local && (local.from === urlKey || stateKey(local.state) === urlKey) ? local.state : fromUrl;
  const latest = useRef({ state, urlKey });
  useLayoutEffect(() => {
    latest.current = { state, urlKey };
  });

  const update = useCallback(
    (change: (s: ListState) => ListState) => {
      const { state: current, urlKey: from } = latest.current;
      const next = change(current);
      const key = stateKey(next);
      if (key === stateKey(current)) return;
      // the request first (earlier searches' requests still on their way are cancelled), then the rendering
      void queryClient.cancelQueries({
        queryKey: ['participants'],
        predicate: (query) => query.queryKey[1] !== key,
      });
      void queryClient.prefetchQuery(listOptions(key, null));
      latest.current = { state: next, urlKey: from }; // a second change before the page renders builds on this
      setLocal({ from, state: next });
      // other parameters stay, in their order; "clear" (nothing left) drops them too
      const url = new URLSearchParams(key ? window.location.search : '');
      for (const name of ['q', ...LIST_FILTERS] as const) {
        const value = name === 'q' ? next.q : next.filters[name];
        if (value) url.set(name, value);
        else url.delete(name);
      }
      navigate(`?${url}`, { replace: true });
    },
    [navigate, queryClient],
  );
  return { state, update };
}

/**
 * The participant list: search (after a pause in typing, or at once on Enter), filters in the URL (see
 * useListState), keyset pagination with a stack of cursors (the API never counts pages: "next" follows
 * nextCursor, "previous" pops the stack), masked NIK and phone. On a phone's slow CPU every render counts: the
 * search box, the filters and the result rows are memoised parts, so a key renders the box, a filter change
 * its select, and an answer the rows and the total.
 */
export default function ListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const role = useMe().user?.role;
  const navigate = useNavigate();
  usePageTitle(t('console.participants.title'));
  const { state, update } = useListState();
  const key = stateKey(state);
  // the stack of cursors belongs to one search: a new search or filter starts again at the first page
  const [pager, setPager] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = pager.key === key ? pager.cursors : [null];
  const setCursors = (fn: (c: (string | null)[]) => (string | null)[]) =>
    setPager({ key, cursors: fn(cursors) });
  const cursor = cursors[cursors.length - 1] ?? null;
  const list = useQuery({ ...listOptions(key, cursor), placeholderData: keepPreviousData });

  const search = useCallback((q: string) => update((s) => ({ ...s, q })), [update]);
  const setFilter = useCallback(
    (name: ListFilter, value: string) =>
      update((s) => {
        const filters = { ...s.filters, [name]: value };
        if (name === 'regencyCode') {
          filters.districtCode = '';
          filters.villageCode = '';
        }
        if (name === 'districtCode') filters.villageCode = '';
        return { ...s, filters };
      }),
    [update],
  );
  const clear = useCallback(
    () => update(() => ({ q: '', filters: filtersOf(new URLSearchParams()) })),
    [update],
  );
  const open = useCallback((id: string) => navigate(`/console/participants/${id}`), [navigate]);

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
          const box = e.currentTarget.elements.namedItem('q');
          if (box instanceof HTMLInputElement) search(box.value.trim());
        }}
      >
        <Stack gap="sm">
          <SearchBox q={state.q} onSearch={search} />
          <FilterFields filters={state.filters} role={role} onChange={setFilter} onClear={clear} />
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
        <ResultsTable items={page.items} onOpen={open} />
      ) : null}

      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Button
          variant="default"
          size="sm"
          px="sm"
          disabled={cursors.length <= 1 || list.isFetching}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('console.participants.previous')}
        </Button>
        <Text size="sm" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
          {t('console.participants.page', { n: cursors.length })}
        </Text>
        <Button
          variant="default"
          size="sm"
          px="sm"
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
 * The search box: its text is its own (a key renders the box alone); the search runs after a pause in typing,
 * timed from the key itself (not from the render that follows it), or at once on Enter. A search changed
 * elsewhere ("clear", a link) replaces the text.
 */
const SearchBox = memo(function SearchBox({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(q);
  const sent = useRef(q);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (q === sent.current) return;
    sent.current = q;
    setText(q);
  }, [q]);
  useEffect(() => () => clearTimeout(timer.current), []);
  function send(value: string) {
    clearTimeout(timer.current);
    if (value === sent.current) return;
    sent.current = value;
    onSearch(value);
  }
  return (
    <TextInput
      label={t('console.participants.search')}
      description={t('console.participants.searchHelp')}
      name="q"
      value={text}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setText(value);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => send(value.trim()), TYPING_PAUSE_MS);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') send(e.currentTarget.value.trim());
      }}
      type="search"
      data-testid="participant-search"
    />
  );
});

type Option = { value: string; label: string };

/** One filter's select, rendered again only when its own value or options change. */
const FilterSelect = memo(function FilterSelect({
  name,
  label,
  value,
  data,
  disabled,
  onChange,
  testId,
}: {
  name: ListFilter;
  label: string;
  value: string;
  data: Option[];
  disabled?: boolean;
  onChange: (name: ListFilter, value: string) => void;
  testId?: string;
}) {
  return (
    <NativeSelect
      label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(name, e.currentTarget.value)}
      data={data}
      data-testid={testId}
    />
  );
});

/** The filters: option lists made once per answer and language, each select memoised. */
const FilterFields = memo(function FilterFields({
  filters,
  role,
  onChange,
  onClear,
}: {
  filters: Filters;
  role: string | undefined;
  onChange: (name: ListFilter, value: string) => void;
  onClear: () => void;
}) {
  const { t, i18n } = useTranslation();
  const cities = useRegionOptions('31');
  const districts = useRegionOptions(filters.regencyCode || null);
  const villages = useRegionOptions(filters.districtCode || null);
  const collaborators = useQuery({
    queryKey: ['collaborators', 'options'],
    queryFn: ({ signal }) => get<{ items: Collaborator[] }>('/collaborators', signal),
    enabled: role !== 'collaborator',
    staleTime: 5 * 60_000,
  });
  const agencies = useQuery({
    queryKey: ['agencies'],
    queryFn: ({ signal }) => get<{ items: Agency[] }>('/agencies', signal),
    staleTime: 3600_000,
  });
  const lang = i18n.language;
  // t changes with the language
  const all = useMemo(() => ({ value: '', label: t('console.participants.all') }), [t]);
  const fixed = useMemo(
    () => ({
      sectors: [all, ...SECTORS.map((s) => ({ value: s, label: t(`sector.${s}`) }))],
      statuses: [all, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))],
      stages: [all, ...STAGES.map((s) => ({ value: s, label: `${s} · ${t(`console.stages.${s}`)}` }))],
      qris: [
        all,
        { value: 'declared', label: t('console.participants.qrisDeclared') },
        { value: 'verified', label: t('console.participants.qrisVerified') },
      ],
      quality: [
        all,
        ...QUALITY_CHECKS.map((c) => ({ value: c, label: t(`console.quality.checks.${c}.title`) })),
      ],
    }),
    [all, t],
  );
  const cityOptions = useMemo(() => [all, ...cities.options], [all, cities.options]);
  const districtOptions = useMemo(() => [all, ...districts.options], [all, districts.options]);
  const villageOptions = useMemo(() => [all, ...villages.options], [all, villages.options]);
  const agencyOptions = useMemo(
    () => [
      all,
      ...(agencies.data?.items ?? []).map((a) => ({
        value: a.code,
        label: lang === 'en' && a.nameEn ? a.nameEn : a.name,
      })),
      // a code from a link, before the agencies have loaded
      ...(filters.agency && !agencies.data ? [{ value: filters.agency, label: filters.agency }] : []),
    ],
    [all, agencies.data, filters.agency, lang],
  );
  const collaboratorOptions = useMemo(
    () => [
      all,
      ...(collaborators.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
      // a collaborator from a link, before the list of names has arrived
      ...(filters.collaboratorId && !collaborators.data?.items.some((c) => c.id === filters.collaboratorId)
        ? [{ value: filters.collaboratorId, label: filters.collaboratorId }]
        : []),
    ],
    [all, collaborators.data, filters.collaboratorId],
  );
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
      <FilterSelect
        name="regencyCode"
        label={t('register.city')}
        value={filters.regencyCode}
        onChange={onChange}
        data={cityOptions}
      />
      <FilterSelect
        name="districtCode"
        label={t('register.district')}
        value={filters.districtCode}
        disabled={!filters.regencyCode}
        onChange={onChange}
        data={districtOptions}
      />
      <FilterSelect
        name="villageCode"
        label={t('register.village')}
        value={filters.villageCode}
        disabled={!filters.districtCode}
        onChange={onChange}
        data={villageOptions}
      />
      <FilterSelect
        name="sector"
        label={t('register.sector')}
        value={filters.sector}
        onChange={onChange}
        data={fixed.sectors}
      />
      <FilterSelect
        name="status"
        label={t('console.participants.status')}
        value={filters.status}
        onChange={onChange}
        data={fixed.statuses}
      />
      <FilterSelect
        name="agency"
        label={t('console.participants.agency')}
        value={filters.agency}
        onChange={onChange}
        data={agencyOptions}
      />
      <FilterSelect
        name="stage"
        label={t('console.participants.stage')}
        value={filters.stage}
        onChange={onChange}
        data={fixed.stages}
      />
      <FilterSelect
        name="qris"
        label={t('console.participants.qris')}
        value={filters.qris}
        onChange={onChange}
        data={fixed.qris}
      />
      {role !== 'collaborator' ? (
        <FilterSelect
          name="collaboratorId"
          label={t('console.participants.collaborator')}
          value={filters.collaboratorId}
          onChange={onChange}
          data={collaboratorOptions}
        />
      ) : null}
      <FilterSelect
        name="quality"
        label={t('console.participants.quality')}
        value={filters.quality}
        onChange={onChange}
        data={fixed.quality}
        testId="filter-quality"
      />
      <TextInput
        type="date"
        label={t('console.participants.registeredFrom')}
        value={filters.registeredFrom}
        onChange={(e) => onChange('registeredFrom', e.currentTarget.value)}
      />
      <TextInput
        type="date"
        label={t('console.participants.registeredTo')}
        value={filters.registeredTo}
        onChange={(e) => onChange('registeredTo', e.currentTarget.value)}
      />
      <Button variant="default" onClick={onClear} style={{ alignSelf: 'end' }}>
        {t('console.participants.clear')}
      </Button>
    </SimpleGrid>
  );
});

/** Mantine's table classes, for rows written as plain elements. */
const TR = `mantine-Table-tr ${Table.classes.tr} ${classes.row}`;
const TD = `mantine-Table-td ${Table.classes.td}`;
const TD_MONO = `${TD} ${classes.mono}`;
/** A click on a record's link opens it in the page (as React Router's Link), a modified click as the browser does. */
function linkClick(e: MouseEvent<HTMLAnchorElement>, open: () => void) {
  e.stopPropagation();
  if (e.button !== 0 || e.metaKey || e.altKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  open();
}

/**
 * The result rows: memoised, so that typing in the search box, a request starting or a select changing does not
 * render them again; they render when the items change, and then cheaply, since an answer on a slow phone was
 * mostly this: plain rows and cells with Mantine's table classes (as Table.Tr and Table.Td render them, without
 * a styled component per cell), kept by position so that the next page updates their text instead of building
 * them again, badges made once, and nothing here that reads the location (React Router's Link and useNavigate
 * do, and would render every row on each change of the URL's search part).
 */
const ResultsTable = memo(function ResultsTable({
  items,
  onOpen,
}: {
  items: ListItem[];
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const head = useMemo(
    () => (
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
    ),
    [t],
  );
  // one element per badge, shared by the rows: a row whose badge stays the same is not rendered again
  const statusBadges = useMemo(
    () =>
      Object.fromEntries(STATUSES.map((s) => [s, statusBadge(s, t(`status.${s}`))])) as Record<
        Status,
        ReactElement
      >,
    [t],
  );
  const demo = useMemo(
    () => (
      <Badge size="xs" color="orange" variant="filled" ml={4}>
        {t('console.participants.demo')}
      </Badge>
    ),
    [t],
  );
  return (
    <section
      aria-label={t('console.participants.results')}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
      tabIndex={0}
      style={{ overflowX: 'auto' }}
    >
      <Table striped highlightOnHover miw={760} verticalSpacing="xs" data-testid="participant-table">
        {head}
        <Table.Tbody>
          {items.map((p, i) => (
            <tr
              // by position: the rows of the next answer reuse these elements
              // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no state; reusing them is the point
              key={i}
              className={TR}
              data-striped="odd"
              data-hover
              data-with-row-border
              onClick={() => onOpen(p.id)}
            >
              <td className={TD}>
                <a href={`/console/participants/${p.id}`} onClick={(e) => linkClick(e, () => onOpen(p.id))}>
                  {p.erased ? t('console.participants.erased') : p.fullName}
                </a>
                {p.businessName ? <p className={classes.sub}>{p.businessName}</p> : null}
                {p.isDemo ? demo : null}
              </td>
              <td className={TD}>{p.registrationNumber}</td>
              <td className={TD_MONO}>{p.nik ?? '–'}</td>
              <td className={TD_MONO}>{p.phone ?? '–'}</td>
              <td className={TD}>
                {p.villageName ? regionLabel(p.villageName) : '–'}
                {p.districtName ? <p className={classes.sub}>{regionLabel(p.districtName)}</p> : null}
              </td>
              <td className={TD}>{p.sector ? t(`sector.${p.sector}`, { defaultValue: p.sector }) : '–'}</td>
              <td className={TD}>{statusBadges[p.status]}</td>
              <td className={TD}>{f.date(p.registeredAt)}</td>
            </tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
});
