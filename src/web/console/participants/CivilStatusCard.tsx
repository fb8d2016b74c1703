import { Badge, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useMe } from '../../session.tsx';

const STATUSES = ['unchecked', 'matched', 'mismatch', 'deceased'] as const;
const COLOR: Record<string, string> = {
  unchecked: 'gray.7',
  matched: 'teal.9',
  mismatch: 'red.9',
  deceased: 'dark',
};

type Check = {
  status: string;
  previousStatus: string;
  checkedOn: string;
  source: 'import' | 'officer';
  fileName: string | null;
  note: string | null;
  createdAt: string;
};

/**
 * The record's civil-registry (Dukcapil) status, the checks behind it (from a match file or an officer) and,
 * for admins and area officers, setting it by hand (a PATCH with the record's ETag; audited and kept as a check).
 */
export function CivilStatusCard({
  id,
  status,
  etag,
  readOnly = false,
}: {
  id: string;
  status: string;
  etag: string | null;
  /** a record merged into another: its status is shown, not set */
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const role = useMe().user?.role;
  const qc = useQueryClient();
  const [next, setNext] = useState<string | null>(null);
  const checks = useQuery({
    queryKey: ['civil-checks', id],
    queryFn: ({ signal }) => get<{ items: Check[] }>(`/participants/${id}/civil-checks`, signal),
  });
  const save = useMutation({
    mutationFn: (s: string) => patch(`/participants/${id}`, { civilStatus: s }, { 'If-Match': etag ?? '*' }),
    onSuccess: () => {
      notifications.show({
        color: 'green',
        message: t('console.civil.saved'),
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      setNext(null);
      qc.invalidateQueries({ queryKey: ['participant', id] });
      qc.invalidateQueries({ queryKey: ['civil-checks', id] });
      qc.invalidateQueries({ queryKey: ['audit', id] });
    },
  });
  const label = (s: string) => t(`console.civil.status.${s}`, { defaultValue: s });
  const canSet = !readOnly && (role === 'admin' || role === 'officer');
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="civil-title"
      data-testid="civil-status"
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="civil-title">
            {t('console.civil.recordTitle')}
          </Title>
          <Badge color={COLOR[status] ?? 'gray'} variant="filled" data-testid="civil-status-badge">
            {label(status)}
          </Badge>
        </Group>
        {checks.data?.items.length ? (
          <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {checks.data.items.slice(0, 5).map((c) => (
              <Text component="li" size="sm" key={c.createdAt + c.status}>
                <strong>{label(c.status)}</strong> · {f.date(c.checkedOn)} ·{' '}
                {c.source === 'import'
                  ? t('console.civil.fromFile', { file: c.fileName ?? '' })
                  : t('console.civil.byOfficer')}
                {c.note ? ` · ${c.note}` : ''}
              </Text>
            ))}
          </Stack>
        ) : checks.isSuccess ? (
          <Text size="sm" c="dimmed">
            {t('console.civil.noChecks')}
          </Text>
        ) : null}
        {canSet ? (
          <Group align="flex-end" gap="sm">
            <Select
              label={t('console.civil.setLabel')}
              data={STATUSES.map((s) => ({ value: s, label: label(s) }))}
              value={next ?? status}
              onChange={setNext}
              allowDeselect={false}
              w={200}
            />
            <Button
              variant="default"
              disabled={!next || next === status}
              loading={save.isPending}
              onClick={() => next && save.mutate(next)}
            >
              {t('console.civil.setButton')}
            </Button>
          </Group>
        ) : null}
        {save.error ? (
          <Text size="sm" c="red.8" role="alert">
            {(save.error as Error).message}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
