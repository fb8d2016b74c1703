import {
  Alert,
  Anchor,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useMe } from '../../session.tsx';
import { COLLABORATOR_TYPES, type Collaborator } from './types.ts';

/** Collaborators: search by name, filter by type; admins create. */
export default function CollaboratorsPage() {
  const { t } = useTranslation();
  usePageTitle(t('console.collaborators.title'));
  const me = useMe().user!;
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | null>(null);
  const [dq] = useDebouncedValue(q.trim(), 250);
  const params = new URLSearchParams();
  if (dq) params.set('q', dq);
  if (type) params.set('type', type);
  const list = useQuery({
    queryKey: ['collaborators', dq, type],
    queryFn: ({ signal }) =>
      get<{ items: Collaborator[]; total: number }>(`/collaborators?${params.toString()}`, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('console.collaborators.title')}</Title>
        {me.role === 'admin' ? (
          <Button component={Link} to="/console/collaborators/new">
            {t('console.collaborators.create')}
          </Button>
        ) : null}
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          type="search"
          label={t('console.collaborators.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
        />
        <Select
          label={t('console.collaborators.typeFilter')}
          placeholder={t('console.collaborators.allTypes')}
          clearable
          value={type}
          onChange={setType}
          data={COLLABORATOR_TYPES.map((v) => ({ value: v, label: t(`console.collaborators.types.${v}`) }))}
          style={{ flex: '1 1 180px' }}
        />
      </Group>
      {list.isError ? (
        <Alert color="red" title={t('common.loadFailed')}>
          {(list.error as Error).message}
        </Alert>
      ) : null}
      {list.isPending ? <Skeleton height={200} /> : null}
      {list.data ? (
        <>
          <Text size="sm" aria-live="polite">
            {t('console.collaborators.count', { count: list.data.total })}
          </Text>
          {list.data.items.length === 0 ? (
            <Text c="dimmed">{t('common.noData')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={320}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('console.collaborators.name')}</Table.Th>
                    <Table.Th>{t('console.collaborators.type')}</Table.Th>
                    <Table.Th visibleFrom="sm">{t('console.collaborators.mouNumber')}</Table.Th>
                    <Table.Th visibleFrom="sm">{t('console.collaborators.stages')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/console/collaborators/${c.id}`}>
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {t(`console.collaborators.types.${c.type}`, { defaultValue: c.type })}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{c.mouNumber ?? '–'}</Table.Td>
                      <Table.Td visibleFrom="sm">{c.stages.join(', ') || '–'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      ) : null}
    </Stack>
  );
}
