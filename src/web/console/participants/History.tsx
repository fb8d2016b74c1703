import { Alert, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { AuditItem } from './data.ts';
import { changesOf } from './logic.ts';

/** The record's history from the audit log (GET /audit?entity=ID), newest first. */
export function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['audit', id],
    queryFn: ({ signal }) => get<{ items: AuditItem[] }>(`/audit?entity=${encodeURIComponent(id)}`, signal),
  });
  const time = (iso: string) =>
    new Intl.DateTimeFormat(f.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Jakarta',
    }).format(new Date(iso));
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-title">
      <Title order={2} size="h4" id="history-title">
        {t('console.participants.history')}
      </Title>
      {q.isPending ? <Skeleton height={120} /> : null}
      {q.isError ? <Alert color="red">{(q.error as Error).message}</Alert> : null}
      {q.data ? (
        <Timeline bulletSize={14} lineWidth={2} data-testid="history">
          {q.data.items.map((e) => {
            const { changes, note } = changesOf(e.data);
            return (
              <Timeline.Item
                key={e.id}
                title={t(`console.participants.actions.${e.action.replace(/^participant\./, '')}`, {
                  defaultValue: e.action,
                })}
              >
                <Text size="sm" c="gray.7">
                  {e.actor ?? '–'} · <time dateTime={e.occurredAt}>{time(e.occurredAt)}</time>
                </Text>
                {changes.length > 0 ? (
                  <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                    {changes.map((c) => (
                      <li key={c.field}>
                        <Text size="xs" component="span" style={{ wordBreak: 'break-word' }}>
                          <strong>{c.field}</strong>: {c.before} → {c.after}
                        </Text>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {note ? <Text size="xs">{note}</Text> : null}
              </Timeline.Item>
            );
          })}
        </Timeline>
      ) : null}
    </Stack>
  );
}
