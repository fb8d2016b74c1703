import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Modal,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, del, post } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { regionLabel } from '../../regions.ts';
import { useMe } from '../../session.tsx';
import type { Role } from '../../types.ts';
import { CivilStatusCard } from './CivilStatusCard.tsx';
import { getRecord, type MergedRecord, type Participant } from './data.ts';
import { History } from './History.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const CAN: Record<'verify' | 'validate' | 'reject' | 'reopen' | 'erase' | 'edit', Role[]> = {
  verify: ['admin', 'officer', 'mentor'],
  validate: ['admin', 'officer'],
  reject: ['admin', 'officer', 'mentor'],
  reopen: ['admin', 'officer'],
  erase: ['admin'],
  edit: ['admin', 'officer', 'mentor', 'collaborator'],
};

/** An API refusal in plain words: the separation-of-duties codes get their own explanation. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const known = e?.code.startsWith('SOD_')
    ? t(`console.participants.sod.${e.code}`, { defaultValue: '' })
    : '';
  return (
    <Alert
      color="red"
      role="alert"
      title={known || t('console.participants.actionFailed')}
      data-testid="action-error"
    >
      {e ? (e.errors.length > 0 ? e.errors.map((x) => x.message).join(' ') : e.message) : String(error)}
    </Alert>
  );
}

export default function RecordPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['participant', id],
    queryFn: ({ signal }) => getRecord(id, signal),
  });
  const p = q.data?.record;
  usePageTitle(p ? p.fullName : t('console.participants.record'));

  if (q.isPending) {
    return (
      <Stack>
        <Title order={1}>{t('console.participants.record')}</Title>
        <Skeleton height={300} />
      </Stack>
    );
  }
  if (!p) {
    return (
      <Stack>
        <Title order={1}>{t('console.participants.record')}</Title>
        <ProblemAlert error={q.error} />
        <Button component={Link} to="/console/participants" variant="default" w="fit-content">
          {t('console.participants.backToList')}
        </Button>
      </Stack>
    );
  }

  const d = p.domicile;
  const rows: [string, string][] = [
    [t('console.participants.regNo'), p.registrationNumber],
    ['NIK', p.nik ?? '–'],
    [t('register.birthDate'), p.birthDate ? f.date(p.birthDate) : '–'],
    [t('register.sex'), p.sex === 'M' ? t('register.male') : p.sex === 'F' ? t('register.female') : '–'],
    [t('console.participants.phone'), p.phone ?? '–'],
    [t('register.email'), p.email ?? '–'],
    [
      t('console.participants.address'),
      [d.street, d.villageName, d.districtName, d.regencyName]
        .filter(Boolean)
        .map((x) => regionLabel(String(x)))
        .join(', ') || '–',
    ],
    [t('register.businessName'), p.business?.name ?? '–'],
    [
      t('register.sector'),
      p.business?.sector ? t(`sector.${p.business.sector}`, { defaultValue: p.business.sector }) : '–',
    ],
    [t('console.participants.registeredAt'), f.date(p.registeredAt)],
    [
      t('console.participants.channel'),
      t(`console.participants.channels.${p.channel}`, { defaultValue: p.channel }),
    ],
  ];
  if (p.verifiedAt) rows.push([t('console.participants.verifiedAt'), f.date(p.verifiedAt)]);
  if (p.validatedAt) rows.push([t('console.participants.validatedAt'), f.date(p.validatedAt)]);
  if (p.statusReason) rows.push([t('console.participants.reason'), p.statusReason]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Text size="sm">
            <Link to="/console/participants">{t('console.participants.backToList')}</Link>
          </Text>
          <Title order={1}>{p.erasedAt ? t('console.participants.erased') : p.fullName}</Title>
          <Group gap="xs">
            <StatusBadge status={p.status} />
            {p.isDemo ? (
              <Badge color="orange" variant="filled">
                {t('console.participants.demo')}
              </Badge>
            ) : null}
          </Group>
        </Stack>
        {!p.erasedAt && !p.mergedIntoRecord ? <EditLink id={p.id} /> : null}
      </Group>
      {!p.erasedAt && p.reviewFlags?.includes('possible_duplicate') ? <DuplicateNotice /> : null}
      {p.mergedIntoRecord ? (
        <Alert color="gray" variant="outline" data-testid="merged-into">
          <Trans
            i18nKey="console.participants.merged.into"
            values={{ regno: p.mergedIntoRecord.registrationNumber }}
            components={{ lnk: <Link to={`/console/participants/${p.mergedIntoRecord.id}`} /> }}
          />
        </Alert>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Card withBorder padding="md">
              <SimpleGrid component="dl" m={0} cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing="xs">
                {rows.map(([k, v]) => (
                  <div key={k}>
                    <Text component="dt" size="xs" c="gray.7" fw={600}>
                      {k}
                    </Text>
                    <Text component="dd" m={0} style={{ wordBreak: 'break-word' }}>
                      {v}
                    </Text>
                  </div>
                ))}
              </SimpleGrid>
            </Card>
            {p.mergedRecords?.length ? <MergedRecords records={p.mergedRecords} /> : null}
            <History id={p.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          {!p.erasedAt ? (
            <Stack gap="md">
              <Actions p={p} />
              <CivilStatusCard
                id={p.id}
                status={p.civilStatus ?? 'unchecked'}
                etag={q.data?.etag ?? null}
                readOnly={!!p.mergedIntoRecord}
              />
            </Stack>
          ) : null}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/**
 * The records merged into this one as duplicates: "Also registered as JKP-... (merged on DATE)" with a link, and
 * their agency enrolments and 7P milestones, read-only (they stay the merged record's own rows, so the merge can
 * be undone).
 */
function MergedRecords({ records }: { records: MergedRecord[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="merged-title"
      data-testid="merged-records"
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id="merged-title">
          {t('console.participants.merged.title')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('console.participants.merged.help')}
        </Text>
        {records.map((m) => (
          <Stack key={m.id} gap={4} data-testid="merged-record">
            <Text fw={600}>
              <Trans
                i18nKey={
                  m.mergedAt
                    ? 'console.participants.merged.alsoAs'
                    : 'console.participants.merged.alsoAsNoDate'
                }
                values={{ regno: m.registrationNumber, date: m.mergedAt ? f.date(m.mergedAt) : '' }}
                components={{ lnk: <Link to={`/console/participants/${m.id}`} /> }}
              />
            </Text>
            {m.enrolments.length || m.milestones.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {m.enrolments.map((e) => (
                  <li key={e.id}>
                    <Text size="sm" component="span">
                      {t('console.participants.merged.enrolment', {
                        agency: e.agency,
                        date: f.date(e.enrolledAt),
                      })}
                    </Text>
                  </li>
                ))}
                {m.milestones.map((x) => (
                  <li key={`${x.stage}-${x.kind}-${x.occurredAt}`}>
                    <Text size="sm" component="span">
                      {t('console.participants.merged.milestone', {
                        stage: x.stage,
                        stageName: t(`console.stages.${x.stage}`, { defaultValue: x.stage }),
                        kind: t(`console.participants.milestoneKinds.${x.kind}`, { defaultValue: x.kind }),
                        date: f.date(x.occurredAt),
                      })}
                    </Text>
                  </li>
                ))}
              </ul>
            ) : null}
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}

/** A record flagged as a likely duplicate when it was registered: where to look (admins and officers). */
function DuplicateNotice() {
  const { t } = useTranslation();
  const role = useMe().user?.role;
  const canReview = role === 'admin' || role === 'officer';
  return (
    <Alert
      color="yellow"
      variant="light"
      title={t('console.duplicates.notice.title')}
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      data-testid="duplicate-notice"
    >
      <Text size="sm">{t('console.duplicates.notice.text')}</Text>
      <Text size="sm" mt={4}>
        {canReview ? (
          <Link to="/console/duplicates">{t('console.duplicates.notice.link')}</Link>
        ) : (
          t('console.duplicates.notice.noAccess')
        )}
      </Text>
    </Alert>
  );
}

function EditLink({ id }: { id: string }) {
  const { t } = useTranslation();
  const role = useMe().user?.role;
  if (!role || !CAN.edit.includes(role)) return null;
  return (
    <Button component={Link} to={`/console/participants/${id}/edit`} variant="default">
      {t('console.participants.edit')}
    </Button>
  );
}

function Actions({ p }: { p: Participant }) {
  const { t } = useTranslation();
  const role = useMe().user?.role ?? 'participant';
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [ktpSeen, setKtpSeen] = useState(false);
  const [businessSeen, setBusinessSeen] = useState(false);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [eraseOpen, setEraseOpen] = useState(false);
  const [typed, setTyped] = useState('');

  const act = useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      post(`/participants/${p.id}/${action}`, body ?? {}),
    onSuccess: (_r, v) => {
      notifications.show({ color: 'green', message: t(`console.participants.done.${v.action}`) });
      setReason('');
      setNote('');
      qc.invalidateQueries({ queryKey: ['participant', p.id] });
      qc.invalidateQueries({ queryKey: ['audit', p.id] });
      qc.invalidateQueries({ queryKey: ['participants'] });
    },
  });
  const erase = useMutation({
    mutationFn: () => del(`/participants/${p.id}`),
    onSuccess: () => {
      setEraseOpen(false);
      notifications.show({ color: 'green', message: t('console.participants.done.erase') });
      qc.invalidateQueries({ queryKey: ['participants'] });
      navigate('/console/participants');
    },
  });

  const can = (a: keyof typeof CAN) => CAN[a].includes(role);
  // a record merged into another is read-only (the API refuses with 409); erasure stays possible
  const open = !p.mergedIntoRecord;
  const showVerify = open && can('verify') && p.status === 'registered';
  const showValidate = open && can('validate') && p.status === 'verified';
  const showReject = open && can('reject') && (p.status === 'registered' || p.status === 'verified');
  const showReopen = open && can('reopen') && p.status === 'rejected';
  const reasonOk = reason.trim().length >= 3;

  return (
    <Stack gap="md" component="section" aria-labelledby="actions-title">
      <Title order={2} size="h4" id="actions-title">
        {t('console.participants.actionsTitle')}
      </Title>
      <ProblemAlert error={act.error} />
      {showVerify ? (
        <Card
          withBorder
          padding="md"
          component="form"
          aria-labelledby="verify-title"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate({
              action: 'verify',
              body: { evidence: { ktpSeen, businessSeen, note: note.trim() || null } },
            });
          }}
        >
          <Stack gap="xs">
            <Title order={3} size="h5" id="verify-title">
              {t('console.participants.verifyTitle')}
            </Title>
            <Checkbox
              label={t('console.participants.ktpSeen')}
              checked={ktpSeen}
              onChange={(e) => setKtpSeen(e.currentTarget.checked)}
            />
            <Checkbox
              label={t('console.participants.businessSeen')}
              checked={businessSeen}
              onChange={(e) => setBusinessSeen(e.currentTarget.checked)}
            />
            <Textarea
              label={t('console.participants.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={1000}
            />
            <Button
              type="submit"
              disabled={!ktpSeen}
              loading={act.isPending && act.variables?.action === 'verify'}
            >
              {t('console.participants.verify')}
            </Button>
          </Stack>
        </Card>
      ) : null}
      {showValidate ? (
        <Card withBorder padding="md">
          <Stack gap="xs">
            <Text size="sm">{t('console.participants.validateHelp')}</Text>
            <Button
              onClick={() => act.mutate({ action: 'validate' })}
              loading={act.isPending && act.variables?.action === 'validate'}
            >
              {t('console.participants.validate')}
            </Button>
          </Stack>
        </Card>
      ) : null}
      {showReject || showReopen ? (
        <Card withBorder padding="md">
          <Stack gap="xs">
            <Textarea
              label={
                showReject ? t('console.participants.rejectReason') : t('console.participants.reopenReason')
              }
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={1000}
            />
            <Button
              color={showReject ? 'red.9' : undefined}
              variant={showReject ? 'outline' : 'filled'}
              disabled={!reasonOk}
              onClick={() =>
                act.mutate({ action: showReject ? 'reject' : 'reopen', body: { reason: reason.trim() } })
              }
            >
              {showReject ? t('console.participants.reject') : t('console.participants.reopen')}
            </Button>
          </Stack>
        </Card>
      ) : null}
      {!showVerify && !showValidate && !showReject && !showReopen ? (
        <Text size="sm" c="gray.7">
          {t('console.participants.noActions')}
        </Text>
      ) : null}
      {can('erase') ? (
        <>
          <Button color="red.9" variant="outline" onClick={() => setEraseOpen(true)}>
            {t('console.participants.erase')}
          </Button>
          <Modal
            opened={eraseOpen}
            onClose={() => setEraseOpen(false)}
            title={t('console.participants.eraseTitle')}
            centered
          >
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (typed.trim() === p.registrationNumber) erase.mutate();
              }}
            >
              <Stack gap="sm">
                <Text size="sm">{t('console.participants.eraseHelp', { number: p.registrationNumber })}</Text>
                <TextInput
                  label={t('console.participants.eraseType')}
                  value={typed}
                  onChange={(e) => setTyped(e.currentTarget.value)}
                  autoComplete="off"
                  data-autofocus
                />
                <ProblemAlert error={erase.error} />
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setEraseOpen(false)}>
                    {t('console.participants.cancel')}
                  </Button>
                  <Button
                    type="submit"
                    color="red.9"
                    disabled={typed.trim() !== p.registrationNumber}
                    loading={erase.isPending}
                  >
                    {t('console.participants.eraseConfirm')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Modal>
        </>
      ) : null}
    </Stack>
  );
}
