import { Alert, Anchor, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { get, patch } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { useMe } from '../../session.tsx';
import { CollaboratorForm } from './CollaboratorForm.tsx';
import { type CollaboratorDetail, toBody, toValues } from './types.ts';

/** One collaborator: its figures, a link to the participants it registered, and (admins) the edit form. */
export default function CollaboratorPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe().user!;
  const qc = useQueryClient();
  const location = useLocation();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<boolean>(Boolean((location.state as { created?: boolean })?.created));
  const q = useQuery({
    queryKey: ['collaborator', id],
    queryFn: ({ signal }) => get<CollaboratorDetail>(`/collaborators/${encodeURIComponent(id)}`, signal),
  });
  const c = q.data;
  usePageTitle(c?.name ?? t('console.collaborators.title'));
  const initial = useMemo(() => toValues(c), [c]);

  const figures: [string, number][] = c
    ? [
        ['console.collaborators.figures.total', c.figures.total],
        ['status.registered', c.figures.registered],
        ['status.verified', c.figures.verified],
        ['status.validated', c.figures.validated],
        ['status.rejected', c.figures.rejected],
      ]
    : [];

  return (
    <Stack gap="lg" maw={900}>
      <Anchor component={Link} to="/console/collaborators" size="sm">
        {t('console.collaborators.back')}
      </Anchor>
      {q.isError ? (
        <>
          <Title order={1}>{t('console.collaborators.title')}</Title>
          <Alert color="red" title={t('common.loadFailed')}>
            {(q.error as Error).message}
          </Alert>
        </>
      ) : null}
      {q.isPending ? <Skeleton height={240} /> : null}
      {c ? (
        <>
          <Group justify="space-between" align="flex-end">
            <Stack gap={2}>
              <Title order={1}>{c.name}</Title>
              <Text c="dimmed" size="sm">
                {t(`console.collaborators.types.${c.type}`, { defaultValue: c.type })}
                {c.mouNumber ? ` · ${t('console.collaborators.mouNumber')} ${c.mouNumber}` : ''}
              </Text>
            </Stack>
            {me.role === 'admin' && !editing ? (
              <Button
                variant="default"
                onClick={() => {
                  setSaved(false);
                  setEditing(true);
                }}
              >
                {t('console.collaborators.edit')}
              </Button>
            ) : null}
          </Group>
          {saved ? (
            <Alert color="green" role="status">
              {t('console.collaborators.saved')}
            </Alert>
          ) : null}
          <Title order={2} size="h3">
            {t('console.collaborators.figuresTitle')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
            {figures.map(([k, v]) => (
              <Card key={k} withBorder padding="sm">
                <Text size="xs" c="dimmed">
                  {t(k)}
                </Text>
                <Text fw={700} size="xl">
                  {f.number(v)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          <Group>
            <Button component={Link} to={`/console/participants?collaboratorId=${c.id}`} variant="light">
              {t('console.collaborators.participants')}
            </Button>
          </Group>
          <Card withBorder>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <Detail label={t('console.collaborators.mouStart')} value={f.date(c.mouStart)} />
              <Detail label={t('console.collaborators.mouEnd')} value={f.date(c.mouEnd)} />
              <Detail label={t('console.collaborators.stages')} value={c.stages.join(', ') || '–'} />
              <Detail label={t('console.collaborators.contactName')} value={c.contact.name ?? '–'} />
              <Detail label={t('console.collaborators.contactEmail')} value={c.contact.email ?? '–'} />
              <Detail label={t('console.collaborators.contactPhone')} value={c.contact.phone ?? '–'} />
            </SimpleGrid>
          </Card>
          {editing ? (
            <Card withBorder>
              <Title order={2} size="h3" mb="sm">
                {t('console.collaborators.editTitle')}
              </Title>
              <CollaboratorForm
                initial={initial}
                submitLabel={t('console.collaborators.save')}
                onCancel={() => setEditing(false)}
                onSubmit={async (v) => {
                  const next = await patch<CollaboratorDetail>(`/collaborators/${c.id}`, toBody(v), {
                    'If-Match': `"${c.version}"`,
                  });
                  qc.setQueryData(['collaborator', id], next);
                  await qc.invalidateQueries({ queryKey: ['collaborators'] });
                  setEditing(false);
                  setSaved(true);
                }}
              />
            </Card>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value}</Text>
    </div>
  );
}
