import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { regionLabel } from '../../regions.ts';
import type { RegionList, Role, User } from '../../types.ts';
import type { Collaborator } from '../collaborators/types.ts';
import { useAreaNames } from '../useAreaNames.ts';

const ROLES: Role[] = ['admin', 'officer', 'mentor', 'collaborator', 'participant'];
const PROVINCE = '31';

type Agency = { code: string; name: string; nameEn: string | null };
type Values = {
  role: string;
  displayName: string;
  email: string;
  phone: string;
  password: string;
  areas: string[];
  agency: string | null;
  collaboratorId: string | null;
  participant: string;
};
const EMPTY: Values = {
  role: 'officer',
  displayName: '',
  email: '',
  phone: '',
  password: '',
  areas: [],
  agency: null,
  collaboratorId: null,
  participant: '',
};

function useRegionList(parent: string | null) {
  return useQuery({
    queryKey: ['regions', parent],
    enabled: parent !== null,
    staleTime: 24 * 3600_000,
    queryFn: ({ signal }) => get<RegionList>(`/regions?parent=${encodeURIComponent(parent ?? '')}`, signal),
  });
}

/** Users (admin): the list with session revocation, and the create form. */
export default function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('console.users.title'));
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => get<{ items: User[] }>('/users', signal),
  });
  const [created, setCreated] = useState<{ user: User; password: string | null } | null>(null);
  const revoke = useMutation({
    mutationFn: (u: User) => post<void>(`/users/${u.id}/revoke-sessions`),
    onSuccess: (_r, u) =>
      notifications.show({
        color: 'green',
        message: t('console.users.revoked', { name: u.displayName ?? u.email ?? u.phone ?? u.id }),
      }),
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });

  return (
    <Stack gap="lg">
      <Title order={1}>{t('console.users.title')}</Title>
      <Card withBorder>
        <Title order={2} size="h3" mb="sm">
          {t('console.users.createTitle')}
        </Title>
        <CreateUserForm
          onCreated={(r) => {
            setCreated(r);
            qc.invalidateQueries({ queryKey: ['users'] });
          }}
        />
        {created ? (
          <Alert
            color="green"
            role="status"
            mt="md"
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
            title={t('console.users.created')}
            data-testid="user-created"
          >
            <Stack gap="xs">
              <Text size="sm">{created.user.displayName ?? created.user.email ?? created.user.phone}</Text>
              {created.password ? (
                <>
                  <Text size="sm">{t('console.users.oneTimePassword')}</Text>
                  <Group gap="sm">
                    <Code fz="md" data-testid="one-time-password">
                      {created.password}
                    </Code>
                    <CopyButton value={created.password}>
                      {({ copied, copy }) => (
                        <Button size="xs" variant="default" onClick={copy}>
                          {copied ? t('console.users.copied') : t('console.users.copy')}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                  <Text size="xs">{t('console.users.oneTimeHelp')}</Text>
                </>
              ) : null}
              <Group>
                <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                  {t('console.users.dismiss')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : null}
      </Card>

      <Title order={2} size="h3">
        {t('console.users.listTitle')}
      </Title>
      {users.isError ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {(users.error as Error).message}
        </Alert>
      ) : null}
      {users.isPending ? <Skeleton height={200} /> : null}
      {users.data ? (
        <Table.ScrollContainer minWidth={320}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.users.user')}</Table.Th>
                <Table.Th>{t('console.users.role')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('console.users.areas')}</Table.Th>
                <Table.Th>{t('console.users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.items.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  onRevoke={() => revoke.mutate(u)}
                  busy={revoke.isPending && revoke.variables?.id === u.id}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}

function UserRow({ user: u, onRevoke, busy }: { user: User; onRevoke: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const names = useAreaNames(u.areas);
  const who = u.displayName ?? u.email ?? u.phone ?? u.id;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={600}>
          {who}
        </Text>
        <Text size="xs" c="dimmed">
          {[u.email, u.phone].filter(Boolean).join(' · ')}
        </Text>
        {u.disabled ? (
          <Badge color="gray" size="xs">
            {t('console.users.disabled')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>{t(`role.${u.role}`)}</Table.Td>
      <Table.Td visibleFrom="sm">{u.areas.length ? names.join(', ') : t('console.allAreas')}</Table.Td>
      <Table.Td>
        <Button
          size="xs"
          variant="default"
          onClick={onRevoke}
          loading={busy}
          aria-label={t('console.users.revokeFor', { name: who })}
        >
          {t('console.users.revoke')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

const PATHS: Record<string, keyof Values> = {
  role: 'role',
  email: 'email',
  phone: 'phone',
  displayName: 'displayName',
  password: 'password',
  areas: 'areas',
  agency: 'agency',
  collaboratorId: 'collaboratorId',
  participant: 'participant',
};

function CreateUserForm({ onCreated }: { onCreated: (r: { user: User; password: string | null }) => void }) {
  const { t, i18n } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [city, setCity] = useState<string | null>(null);
  const [district, setDistrict] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: EMPTY,
    validate: {
      email: (v, all) => (!v.trim() && !all.phone.trim() ? t('console.users.emailOrPhone') : null),
    },
  });
  const role = form.values.role;
  const cities = useRegionList(PROVINCE);
  const districts = useRegionList(city);
  const agencies = useQuery({
    queryKey: ['agencies'],
    queryFn: ({ signal }) => get<{ items: Agency[] }>('/agencies', signal),
    staleTime: 3600_000,
  });
  const collaborators = useQuery({
    queryKey: ['collaborators', '', null],
    enabled: role === 'collaborator',
    queryFn: ({ signal }) => get<{ items: Collaborator[] }>('/collaborators', signal),
  });
  const areaNames = useAreaNames(form.values.areas);

  function addArea() {
    const code = district ?? city;
    if (!code || form.values.areas.includes(code)) return;
    form.setFieldValue('areas', [...form.values.areas, code]);
    form.clearFieldError('areas');
    setCity(null);
    setDistrict(null);
  }

  async function submit(v: Values) {
    setProblem(null);
    setBusy(true);
    const s = (x: string) => (x.trim() === '' ? null : x.trim());
    try {
      const res = await post<{ user: User; password: string | null }>('/users', {
        role: v.role,
        displayName: s(v.displayName),
        email: s(v.email),
        phone: s(v.phone),
        password: s(v.password),
        areas: v.areas,
        agency: v.agency,
        collaboratorId: v.role === 'collaborator' ? v.collaboratorId : null,
        participant: v.role === 'participant' ? s(v.participant) : null,
      });
      form.setValues(EMPTY);
      form.resetDirty();
      onCreated(res);
    } catch (e) {
      if (e instanceof ApiError) {
        const errs: Record<string, string> = {};
        const other: string[] = [];
        for (const p of e.errors) {
          const key = PATHS[p.path.split('.')[0]];
          if (key) errs[key] = errs[key] ? `${errs[key]} ${p.message}` : p.message;
          else other.push(p.message);
        }
        form.setErrors(errs);
        setProblem([e.message, ...other].join(' '));
      } else setProblem(t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  const regionData = (l?: RegionList) =>
    (l?.items ?? []).map((r) => ({ value: r.code, label: regionLabel(r.name) }));

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {problem ? (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('console.users.role')}
            required
            allowDeselect={false}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            {...form.getInputProps('role')}
          />
          <TextInput label={t('console.users.displayName')} {...form.getInputProps('displayName')} />
          <TextInput type="email" label={t('console.users.email')} {...form.getInputProps('email')} />
          <TextInput type="tel" label={t('console.users.phone')} {...form.getInputProps('phone')} />
          <PasswordInput
            label={t('console.users.password')}
            description={t('console.users.passwordHelp')}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <Select
            label={t('console.users.agency')}
            clearable
            data={(agencies.data?.items ?? []).map((a) => ({
              value: a.code,
              label: `${a.code} – ${i18n.language === 'en' && a.nameEn ? a.nameEn : a.name}`,
            }))}
            {...form.getInputProps('agency')}
          />
          {role === 'collaborator' ? (
            <Select
              label={t('console.users.collaborator')}
              required
              searchable
              data={(collaborators.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              {...form.getInputProps('collaboratorId')}
            />
          ) : null}
          {role === 'participant' ? (
            <TextInput
              label={t('console.users.participant')}
              required
              {...form.getInputProps('participant')}
            />
          ) : null}
        </SimpleGrid>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('console.users.areas')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('console.users.areasHelp')}
          </Text>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label={t('console.users.city')}
              clearable
              value={city}
              onChange={(v) => {
                setCity(v);
                setDistrict(null);
              }}
              data={regionData(cities.data)}
              style={{ flex: '1 1 200px' }}
            />
            <Select
              label={t('console.users.district')}
              clearable
              disabled={!city}
              value={district}
              onChange={setDistrict}
              data={regionData(districts.data)}
              style={{ flex: '1 1 200px' }}
            />
            <Button variant="default" onClick={addArea} disabled={!city}>
              {t('console.users.addArea')}
            </Button>
          </Group>
          {form.values.areas.length > 0 ? (
            <Group gap="xs">
              {form.values.areas.map((a, i) => (
                <Badge
                  key={a}
                  variant="light"
                  size="lg"
                  rightSection={
                    <button
                      type="button"
                      style={{
                        background: 'none',
                        border: 0,
                        cursor: 'pointer',
                        fontSize: 16,
                        lineHeight: 1,
                        padding: '0 2px',
                        color: 'inherit',
                      }}
                      aria-label={t('console.users.removeArea', { name: areaNames[i] })}
                      onClick={() =>
                        form.setFieldValue(
                          'areas',
                          form.values.areas.filter((x) => x !== a),
                        )
                      }
                    >
                      ×
                    </button>
                  }
                >
                  {areaNames[i]}
                </Badge>
              ))}
            </Group>
          ) : (
            <Text size="sm">{t('console.allAreas')}</Text>
          )}
          {form.errors.areas ? (
            <Text size="sm" c="red.9" role="alert">
              {form.errors.areas}
            </Text>
          ) : null}
        </Stack>
        <Group>
          <Button type="submit" loading={busy}>
            {t('console.users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
