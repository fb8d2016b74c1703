import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { ProblemAlert } from '../participants/RecordPage.tsx';
import { StatusBadge } from '../participants/StatusBadge.tsx';
import { useAreaNames } from '../useAreaNames.ts';
import { type Decision, decide, getPair, type PairDetail, type PairSide, type Verdict } from './data.ts';
import {
  birthVerdict,
  businessView,
  nameView,
  nikSentences,
  nikVerdict,
  phoneVerdict,
  placeVerdict,
  sexVerdict,
} from './evidence.ts';
import { LevelBadge } from './LevelBadge.tsx';
import classes from './PairPage.module.css';
import { useDateTime } from './QueuePage.tsx';

const verdictColor: Record<Verdict, string> = {
  same: 'teal.9',
  close: 'yellow.3',
  different: 'red.9',
  unknown: 'gray.7',
};

/** A field's verdict in words with a sign (✓ ≈ ≠ ?); the colour only repeats it. */
function VerdictBadge({ v }: { v: Verdict }) {
  const { t } = useTranslation();
  return (
    <Badge color={verdictColor[v]} variant="filled" autoContrast size="sm" data-testid="verdict">
      {t(`console.duplicates.verdict.${v}`)}
    </Badge>
  );
}

/**
 * One candidate pair: both records field by field (columns A and B on a wide screen, stacked on a phone) with
 * the evidence per field in plain words, links to both records, and the decisions (merge keeping A or B, not a
 * duplicate, later; undo a merge, reopen a "not a duplicate"), each confirmed in a dialog with an optional note.
 */
export default function PairPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({ queryKey: ['duplicate', id], queryFn: ({ signal }) => getPair(id, signal) });
  const p = q.data;
  usePageTitle(p ? `${p.a.fullName} · ${p.b.fullName}` : t('console.duplicates.pair.title'));

  const back = (
    <Text size="sm">
      <Link to="/console/duplicates">{t('console.duplicates.pair.back')}</Link>
    </Text>
  );
  if (!p) {
    return (
      <Stack gap="md">
        {back}
        <Title order={1}>{t('console.duplicates.pair.title')}</Title>
        {q.isPending ? <Skeleton height={400} /> : <ProblemAlert error={q.error} />}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Stack gap={4}>
        {back}
        <Title order={1}>{t('console.duplicates.pair.title')}</Title>
        <Group gap="xs">
          <LevelBadge level={p.level} />
          <Badge variant="outline" color="gray.8" data-testid="pair-status">
            {t(`console.duplicates.status.${p.status}`)}
          </Badge>
          <Text size="sm" fw={600}>
            {t('console.duplicates.pair.scoreIs', { score: f.number(p.score) })}
          </Text>
          <Text size="sm" c="gray.7">
            {t('console.duplicates.pair.foundBy', {
              source: t(`console.duplicates.source.${p.source}`, { defaultValue: p.source }),
              date: f.date(p.foundAt),
            })}
          </Text>
        </Group>
      </Stack>
      <Compare p={p} />
      <Decide p={p} />
    </Stack>
  );
}

type Row = {
  key: string;
  label: string;
  verdict?: Verdict;
  a: ReactNode;
  b: ReactNode;
  evidence?: ReactNode;
};

function Compare({ p }: { p: PairDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { a, b, evidence: ev } = p;
  const [aVillage, aDistrict, bVillage, bDistrict] = useAreaNames([
    a.villageCode,
    a.districtCode,
    b.villageCode,
    b.districtCode,
  ]);
  const k = 'console.duplicates';
  const name = nameView(ev.name, a.fullName, b.fullName, t, f.percent);
  const biz = businessView(ev.business, a, b, t);
  const sex = (s: PairSide) =>
    s.sex === 'M' ? t('register.male') : s.sex === 'F' ? t('register.female') : '–';
  const place = (s: PairSide, village: string, district: string) => (
    <>
      {t(`${k}.pair.placeLine`, { village, district })}
      {s.rt || s.rw ? (
        <Text span display="block" size="sm">
          {t(`${k}.pair.rtRw`, { rt: s.rt ?? '–', rw: s.rw ?? '–' })}
        </Text>
      ) : null}
    </>
  );
  const business = (s: PairSide) =>
    s.business ? (
      <>
        {s.business.name}
        {s.business.sector ? (
          <Text span display="block" size="sm" c="gray.7">
            {t(`sector.${s.business.sector}`, { defaultValue: s.business.sector })}
          </Text>
        ) : null}
      </>
    ) : (
      '–'
    );
  const parts = (label: string, list: string[], testId: string) =>
    list.length > 0 ? (
      <Text size="sm" data-testid={testId}>
        {label}: {list.join(', ')}
      </Text>
    ) : null;

  const rows: Row[] = [
    {
      key: 'name',
      label: t(`${k}.pair.fields.name`),
      verdict: name.verdict,
      a: a.fullName,
      b: b.fullName,
      evidence: (
        <>
          {name.sentences.map((s) => (
            <Text key={s} size="sm">
              {s}
            </Text>
          ))}
          {parts(t(`${k}.pair.matched`), name.matched, 'name-matched')}
          {parts(t(`${k}.pair.onlyA`), name.onlyA, 'name-only-a')}
          {parts(t(`${k}.pair.onlyB`), name.onlyB, 'name-only-b')}
        </>
      ),
    },
    {
      key: 'nik',
      label: t(`${k}.pair.fields.nik`),
      verdict: nikVerdict(ev.nik),
      a: (
        <Text span ff="monospace">
          {a.nikMasked}
        </Text>
      ),
      b: (
        <Text span ff="monospace">
          {b.nikMasked}
        </Text>
      ),
      evidence: nikSentences(ev.nik, t).map((s) => (
        <Text key={s} size="sm">
          {s}
        </Text>
      )),
    },
    {
      key: 'birthDate',
      label: t(`${k}.pair.fields.birthDate`),
      verdict: birthVerdict(ev.birthDate),
      a: f.date(a.birthDate),
      b: f.date(b.birthDate),
      evidence: t(`${k}.evidence.birthDate.${ev.birthDate}`),
    },
    {
      key: 'sex',
      label: t(`${k}.pair.fields.sex`),
      verdict: sexVerdict(ev.sex),
      a: sex(a),
      b: sex(b),
      evidence: t(`${k}.evidence.sex.${ev.sex}`),
    },
    {
      key: 'phone',
      label: t(`${k}.pair.fields.phone`),
      verdict: phoneVerdict(ev.phone),
      a: (
        <Text span ff="monospace">
          {a.phoneMasked ?? '–'}
        </Text>
      ),
      b: (
        <Text span ff="monospace">
          {b.phoneMasked ?? '–'}
        </Text>
      ),
      evidence: t(`${k}.evidence.phone.${ev.phone}`),
    },
    {
      key: 'place',
      label: t(`${k}.pair.fields.place`),
      verdict: placeVerdict(ev.place),
      a: place(a, aVillage, aDistrict),
      b: place(b, bVillage, bDistrict),
      evidence: t(`${k}.evidence.place.${ev.place}`),
    },
    {
      key: 'business',
      label: t(`${k}.pair.fields.business`),
      verdict: biz.verdict,
      a: business(a),
      b: business(b),
      evidence: biz.sentence,
    },
    {
      key: 'status',
      label: t(`${k}.pair.fields.status`),
      a: <StatusBadge status={a.status} />,
      b: <StatusBadge status={b.status} />,
    },
    {
      key: 'registered',
      label: t(`${k}.pair.fields.registered`),
      a: registered(a),
      b: registered(b),
    },
    {
      key: 'stages',
      label: t(`${k}.pair.fields.stages`),
      a: a.stages.length ? a.stages.join(', ') : t(`${k}.pair.none`),
      b: b.stages.length ? b.stages.join(', ') : t(`${k}.pair.none`),
    },
  ];
  function registered(s: PairSide) {
    return t(`${k}.pair.registeredVia`, {
      date: f.date(s.registeredAt),
      channel: t(`console.participants.channels.${s.channel}`, { defaultValue: s.channel }),
    });
  }
  const head = (side: 'A' | 'B', s: PairSide) => (
    <div className={classes.headCell} data-testid={`record-${side.toLowerCase()}`}>
      <Text size="sm" fw={700} c="gray.7">
        {t(`${k}.record${side}`)}
      </Text>
      <Text fw={700} size="lg">
        <Link to={`/console/participants/${s.id}`}>{s.fullName}</Link>
      </Text>
      <Text size="sm">{s.registrationNumber}</Text>
      {s.mergedInto ? (
        <Badge color="gray.7" variant="filled" mt={4}>
          {t(`${k}.pair.mergedInto`)}
        </Badge>
      ) : null}
    </div>
  );

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="compare-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="compare-title">
          {t(`${k}.pair.compare`)}
        </Title>
        <Text size="sm" c="gray.7">
          {t(`${k}.pair.compareHelp`)}
        </Text>
        <div className={classes.compare}>
          <div className={classes.head}>
            <Text size="sm" fw={700} c="gray.7" className={classes.headLabel}>
              {t(`${k}.pair.field`)}
            </Text>
            {head('A', a)}
            {head('B', b)}
          </div>
          {rows.map((r) => (
            <div key={r.key} className={classes.row} data-testid={`field-${r.key}`} data-verdict={r.verdict}>
              <div className={classes.label}>
                <span>{r.label}</span>
                {r.verdict ? <VerdictBadge v={r.verdict} /> : null}
              </div>
              <div className={classes.value}>
                <span className={classes.side}>A </span>
                <div className={classes.content}>{r.a}</div>
              </div>
              <div className={classes.value}>
                <span className={classes.side}>B </span>
                <div className={classes.content}>{r.b}</div>
              </div>
              {r.evidence ? (
                <div className={classes.evidence} data-testid={`evidence-${r.key}`}>
                  {r.evidence}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </Stack>
    </Card>
  );
}

function Decide({ p }: { p: PairDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const when = useDateTime();
  const qc = useQueryClient();
  const [pending, setPending] = useState<Decision | null>(null);
  const [note, setNote] = useState('');
  const k = 'console.duplicates.actions';

  const act = useMutation({
    mutationFn: ({ decision, note }: { decision: Decision; note: string }) => decide(p.id, decision, note),
    onSuccess: (next, v) => {
      qc.setQueryData(['duplicate', p.id], next);
      setPending(null);
      setNote('');
      notifications.show({
        color: 'green',
        message: t(`${k}.done.${v.decision}`),
        closeButtonProps: { 'aria-label': t(`${k}.close`) },
      });
      for (const key of ['duplicates', 'stats-summary', 'participants', 'participant', 'audit'])
        qc.invalidateQueries({ queryKey: [key] });
    },
    // someone else may have decided meanwhile: show the pair as it is now behind the message
    onError: () => qc.invalidateQueries({ queryKey: ['duplicate', p.id] }),
  });
  function ask(d: Decision) {
    act.reset();
    setNote('');
    setPending(d);
  }

  const kept = p.keptId === p.a.id ? 'A' : 'B';
  const gone = kept === 'A' ? 'B' : 'A';
  const stale = (p.status === 'open' || p.status === 'later') && !!(p.a.mergedInto || p.b.mergedInto);
  const canDecide = p.status === 'open' || p.status === 'later';
  const names = { A: p.a, B: p.b };

  let confirmText = '';
  if (pending === 'merge_a' || pending === 'merge_b') {
    const keep = pending === 'merge_a' ? 'A' : 'B';
    const other = keep === 'A' ? 'B' : 'A';
    confirmText = t(`${k}.confirm.merge`, {
      kept: keep,
      keptName: names[keep].fullName,
      gone: other,
      goneName: names[other].fullName,
    });
  } else if (pending === 'unmerge') {
    confirmText = t(`${k}.confirm.unmerge`, { gone, goneName: names[gone].fullName });
  } else if (pending) {
    confirmText = t(`${k}.confirm.${pending}`);
  }

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="decide-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="decide-title">
          {t(`${k}.title`)}
        </Title>
        {p.status === 'merged' ? (
          <Text data-testid="decision-state">
            {t(`${k}.merged`, { date: when(p.decidedAt), kept, gone })}
          </Text>
        ) : p.status === 'not_duplicate' ? (
          <Text data-testid="decision-state">{t(`${k}.notDuplicate`, { date: f.date(p.decidedAt) })}</Text>
        ) : p.status === 'later' ? (
          <Text data-testid="decision-state">{t(`${k}.laterAt`, { date: f.date(p.decidedAt) })}</Text>
        ) : null}
        {p.note ? <Text size="sm">{t(`${k}.noteWas`, { note: p.note })}</Text> : null}
        {stale ? (
          <Alert color="gray" variant="outline">
            {t(`${k}.stale`)}
          </Alert>
        ) : null}
        {canDecide && !stale ? <Text size="sm">{t(`${k}.help`)}</Text> : null}
        {p.status === 'not_duplicate' ? <Text size="sm">{t(`${k}.reopenHelp`)}</Text> : null}
        <Group gap="sm">
          {canDecide && !stale ? (
            <>
              <Button onClick={() => ask('merge_a')}>{t(`${k}.merge_a`)}</Button>
              <Button onClick={() => ask('merge_b')}>{t(`${k}.merge_b`)}</Button>
            </>
          ) : null}
          {canDecide ? (
            <Button variant="default" onClick={() => ask('not_duplicate')}>
              {t(`${k}.not_duplicate`)}
            </Button>
          ) : null}
          {p.status === 'open' ? (
            <Button variant="default" onClick={() => ask('later')}>
              {t(`${k}.later`)}
            </Button>
          ) : null}
          {p.status === 'not_duplicate' ? (
            <Button variant="outline" onClick={() => ask('reopen')}>
              {t(`${k}.reopen`)}
            </Button>
          ) : null}
          {p.status === 'merged' ? (
            <Button variant="outline" color="red.9" onClick={() => ask('unmerge')}>
              {t(`${k}.unmerge`)}
            </Button>
          ) : null}
        </Group>
      </Stack>
      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending ? t(`${k}.${pending}`) : ''}
        closeButtonProps={{ 'aria-label': t(`${k}.close`) }}
        centered
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (pending) act.mutate({ decision: pending, note });
          }}
        >
          <Stack gap="sm">
            <Text size="sm">{confirmText}</Text>
            <Textarea
              label={t(`${k}.note`)}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={500}
              data-autofocus
            />
            <ProblemAlert error={act.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)}>
                {t(`${k}.cancel`)}
              </Button>
              <Button
                type="submit"
                loading={act.isPending}
                color={pending === 'unmerge' ? 'red.9' : undefined}
                data-testid="confirm-decision"
              >
                {pending ? t(`${k}.${pending}`) : ''}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}
