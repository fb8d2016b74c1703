import { Alert, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useAreaNames } from '../useAreaNames.ts';
import type { AuditItem } from './data.ts';
import {
  actionKey,
  changesOf,
  type DuplicateEvent,
  duplicateEventOf,
  fieldKey,
  VILLAGE_CODE,
} from './logic.ts';

type Related = Record<string, { registrationNumber: string; mergedInto: string | null }>;

/**
 * The record's history from the audit log (GET /audit?entity=ID), newest first: changed fields under their
 * labels, and duplicate decisions (merge, unmerge, not a duplicate, later, reopened) as sentences that link to
 * the other record.
 */
export function History({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['audit', id],
    queryFn: ({ signal }) =>
      get<{ items: AuditItem[]; related?: Related }>(`/audit?entity=${encodeURIComponent(id)}`, signal),
  });
  const entries = (q.data?.items ?? []).map((e) => {
    const dup = duplicateEventOf(e.action, e.data, id);
    if (dup) return { e, dup, changes: [], note: null };
    const c = changesOf(e.data);
    // a civil-registry result says where it came from, in words
    const src = (e.data as { note?: { source?: string; file?: string; checkedOn?: string } } | null)?.note;
    if (e.action === 'participant.civil_status' && src && typeof src === 'object')
      c.note =
        src.source === 'import'
          ? t('console.participants.civilFromFile', { file: src.file ?? '', date: src.checkedOn ?? '' })
          : null;
    return { e, dup, ...c };
  });
  const villages = [
    ...new Set(
      entries
        .flatMap((x) => x.changes.flatMap((c) => [c.before, c.after]))
        .filter((v) => VILLAGE_CODE.test(v)),
    ),
  ];
  const villageNames = useAreaNames(villages);
  const villageName = new Map(villages.map((c, i) => [c, villageNames[i]]));
  const time = (iso: string) =>
    new Intl.DateTimeFormat(f.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Jakarta',
    }).format(new Date(iso));
  /** A changed value in words where it is a code (status, sex, sector, yes/no, kelurahan, civil status). */
  const value = (field: string, v: string) => {
    if (v === '–') return v;
    const last = field.split('.').pop();
    if (v === 'true' || v === 'false') return t(`console.participants.${v === 'true' ? 'yes' : 'no'}`);
    if (last === 'status') return t(`status.${v}`, { defaultValue: v });
    if (last === 'sex') return v === 'M' ? t('register.male') : v === 'F' ? t('register.female') : v;
    if (last === 'sector') return t(`sector.${v}`, { defaultValue: v });
    if (last === 'civilStatus') return t(`console.participants.civil.${v}`, { defaultValue: v });
    if (last === 'birthDate' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return f.date(v);
    if (VILLAGE_CODE.test(v)) {
      const name = villageName.get(v);
      return name && name !== v ? `${name} (${v})` : v;
    }
    return v;
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-title">
      <Title order={2} size="h4" id="history-title">
        {t('console.participants.history')}
      </Title>
      {q.isPending ? <Skeleton height={120} /> : null}
      {q.isError ? <Alert color="red">{(q.error as Error).message}</Alert> : null}
      {q.data ? (
        <Timeline bulletSize={14} lineWidth={2} data-testid="history">
          {entries.map(({ e, dup, changes, note }) => (
            <Timeline.Item
              key={e.id}
              title={t(`console.participants.actions.${actionKey(e.action)}`, { defaultValue: e.action })}
              data-testid="history-entry"
            >
              <Text size="sm" c="gray.7">
                {e.actor ?? '–'} · <time dateTime={e.occurredAt}>{time(e.occurredAt)}</time>
              </Text>
              {dup ? <DuplicateSentence dup={dup} related={q.data.related ?? {}} /> : null}
              {changes.length > 0 ? (
                <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                  {changes.map((c) => (
                    <li key={c.field}>
                      <Text size="xs" component="span" style={{ wordBreak: 'break-word' }}>
                        <strong>
                          {t(`console.participants.fields.${fieldKey(c.field)}`, { defaultValue: c.field })}
                        </strong>
                        : {value(c.field, c.before)} → {value(c.field, c.after)}
                      </Text>
                    </li>
                  ))}
                </ul>
              ) : null}
              {note ? <Text size="xs">{note}</Text> : null}
            </Timeline.Item>
          ))}
        </Timeline>
      ) : null}
    </Stack>
  );
}

/**
 * "Merged into record JKP-2024-000123 as a duplicate." with a link to the other record, its note and flag. The
 * texts mark the link `<lnk>`: Trans parses them as HTML, where `<link>` is a void element and would lose its text.
 */
function DuplicateSentence({ dup, related }: { dup: DuplicateEvent; related: Related }) {
  const { t } = useTranslation();
  const other = dup.otherId ? related[dup.otherId] : undefined;
  return (
    <Stack gap={2} mt={4} data-testid="history-duplicate">
      <Text size="sm">
        <Trans
          i18nKey={`console.participants.dup.${dup.kind}`}
          values={{ regno: other?.registrationNumber ?? t('console.participants.dup.anotherRecord') }}
          components={{
            lnk: other && dup.otherId ? <Link to={`/console/participants/${dup.otherId}`} /> : <span />,
          }}
        />
      </Text>
      {dup.note ? (
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          {t('console.participants.dup.note', { note: dup.note })}
        </Text>
      ) : null}
      {dup.unflagged !== null ? (
        <Text size="xs" c="gray.7">
          {t(dup.unflagged ? 'console.participants.dup.unflagged' : 'console.participants.dup.flagged')}
        </Text>
      ) : null}
    </Stack>
  );
}
