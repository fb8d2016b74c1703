import '@mantine/dropzone/styles.css';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../format.ts';
import { useKnownUser } from '../../session.tsx';
import { CivilImportCard } from './CivilImportCard.tsx';
import { TemplateLinks } from './TemplateLinks.tsx';
import { progressPct, uploadFile } from './upload.ts';

export type ImportJob = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | string;
  fileName: string;
  mode: string;
  dryRun: boolean;
  progress: { rows: number; bytesRead: number; totalBytes: number };
  summary: { rows: number; inserted: number; updated: number; duplicates: number; invalid: number };
  error: { code?: string; id?: string; en?: string } | null;
};

const ACCEPT = {
  'text/csv': ['.csv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.ms-excel': ['.csv'],
};

const FINISHED = new Set(['done', 'failed', 'completed', 'succeeded', 'cancelled']);

/** Import participants from a CSV or XLSX file: upload, progress, summary, rejected rows, template. */
export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  usePageTitle(t('console.imports.title'));
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState(false);
  const [mode, setMode] = useState<'insert' | 'upsert'>('insert');
  const [dryRun, setDryRun] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const me = useKnownUser();

  const upload = useMutation({
    mutationFn: (fl: File) =>
      uploadFile<{ id: string }>(
        `/imports/participants?mode=${mode}&dryRun=${dryRun ? 'true' : 'false'}`,
        fl,
        lang,
      ),
    onSuccess: (r) => setJobId(r.id),
  });

  const job = useQuery({
    queryKey: ['import-job', jobId],
    enabled: jobId !== null,
    queryFn: ({ signal }) => get<ImportJob>(`/imports/${jobId}`, signal),
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.status) ? false : 700),
  });
  const j = job.data;
  const finished = j ? FINISHED.has(j.status) : false;
  const failed = j?.status === 'failed';
  const pct = j ? (finished ? 100 : progressPct(j.progress.bytesRead, j.progress.totalBytes)) : 0;
  const uploadError = upload.error instanceof ApiError ? upload.error : null;

  function start() {
    if (!file) return;
    setJobId(null);
    upload.mutate(file);
  }

  const summary: [string, number][] = j
    ? [
        ['rows', j.summary.rows],
        ['inserted', j.summary.inserted],
        ['updated', j.summary.updated],
        ['duplicates', j.summary.duplicates],
        ['invalid', j.summary.invalid],
      ]
    : [];

  return (
    <Stack gap="lg" maw={820}>
      <Title order={1}>{t('console.imports.title')}</Title>
      <Text>{t('console.imports.intro')}</Text>

      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('console.imports.templateTitle')}
          </Title>
          <Text size="sm">{t('console.imports.templateHelp')}</Text>
          <TemplateLinks
            base="/api/v1/imports/template"
            lang={lang}
            xlsx={t('console.imports.templateXlsx')}
            csv={t('console.imports.templateCsv')}
          />
        </Stack>
      </Card>

      <Card withBorder>
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('console.imports.uploadTitle')}
          </Title>
          <Dropzone
            onDrop={(files) => {
              setFile(files[0] ?? null);
              setRejected(false);
            }}
            onReject={() => {
              setFile(null);
              setRejected(true);
            }}
            accept={ACCEPT}
            multiple={false}
            maxFiles={1}
            inputProps={{ 'aria-label': t('console.imports.fileLabel') }}
            aria-label={t('console.imports.dropHere')}
          >
            <Stack gap={4} align="center" py="lg" style={{ pointerEvents: 'none', textAlign: 'center' }}>
              <Text fw={600}>{t('console.imports.dropHere')}</Text>
              <Text size="sm" c="dimmed">
                {t('console.imports.dropHint')}
              </Text>
            </Stack>
          </Dropzone>
          {file ? (
            <Text size="sm" data-testid="import-file">
              {t('console.imports.chosen', { name: file.name, size: f.number(Math.ceil(file.size / 1024)) })}
            </Text>
          ) : null}
          {rejected ? (
            <Alert color="red" role="alert">
              {t('console.imports.wrongType')}
            </Alert>
          ) : null}
          <Radio.Group
            label={t('console.imports.mode')}
            value={mode}
            onChange={(v) => setMode(v as 'insert' | 'upsert')}
          >
            <Stack gap="xs" mt={4}>
              <Radio
                value="insert"
                label={t('console.imports.modeInsert')}
                description={t('console.imports.modeInsertHelp')}
              />
              <Radio
                value="upsert"
                label={t('console.imports.modeUpsert')}
                description={t('console.imports.modeUpsertHelp')}
              />
            </Stack>
          </Radio.Group>
          <Checkbox
            label={t('console.imports.dryRun')}
            description={t('console.imports.dryRunHelp')}
            checked={dryRun}
            onChange={(e) => setDryRun(e.currentTarget.checked)}
          />
          <Group>
            <Button onClick={start} disabled={!file} loading={upload.isPending}>
              {t('console.imports.start')}
            </Button>
          </Group>
          {uploadError ? (
            <Alert color="red" role="alert" title={t('console.imports.uploadFailed')}>
              {uploadError.message}
            </Alert>
          ) : upload.error ? (
            <Alert color="red" role="alert">
              {t('common.networkError')}
            </Alert>
          ) : null}
        </Stack>
      </Card>

      {jobId ? (
        <Card withBorder aria-live="polite">
          <Stack gap="md">
            <Title order={2} size="h4">
              {t('console.imports.progressTitle')}
            </Title>
            {j ? (
              <>
                <Text size="sm">
                  {j.fileName} · {t(`console.imports.status.${j.status}`, { defaultValue: j.status })}
                  {j.dryRun ? ` · ${t('console.imports.dryRunBadge')}` : ''}
                </Text>
                <Progress
                  value={pct}
                  size="lg"
                  animated={!finished}
                  color={failed ? 'red' : undefined}
                  aria-label={t('console.imports.progressLabel')}
                />
                <Text size="sm" data-testid="import-progress">
                  {t('console.imports.progress', {
                    pct,
                    read: f.number(Math.round(j.progress.bytesRead / 1024)),
                    total: f.number(Math.round(j.progress.totalBytes / 1024)),
                    rows: f.number(j.progress.rows),
                  })}
                </Text>
              </>
            ) : job.isError ? (
              <Alert color="red">{(job.error as Error).message}</Alert>
            ) : (
              <Progress value={0} size="lg" aria-label={t('console.imports.progressLabel')} />
            )}
            {failed ? (
              <Alert color="red" role="alert" title={t('console.imports.failed')}>
                {(lang === 'en' ? j?.error?.en : j?.error?.id) ?? j?.error?.code ?? ''}
              </Alert>
            ) : null}
            {finished && !failed && j ? (
              <>
                <Alert
                  color="green"
                  styles={{ title: { color: 'var(--mantine-color-text)' } }}
                  title={t('console.imports.done')}
                >
                  {j.dryRun ? t('console.imports.doneDryRun') : null}
                </Alert>
                <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" data-testid="import-summary">
                  {summary.map(([k, v]) => (
                    <Card key={k} withBorder padding="sm" data-testid={`summary-${k}`}>
                      <Text size="xs" c="dimmed">
                        {t(`console.imports.summary.${k}`)}
                      </Text>
                      <Text fw={700} size="xl">
                        {f.number(v)}
                      </Text>
                    </Card>
                  ))}
                </SimpleGrid>
                {j.summary.invalid > 0 ? (
                  <Group>
                    <Button component="a" href={`/api/v1/imports/${j.id}/report`} download color="red">
                      {t('console.imports.report')}
                    </Button>
                    <Text size="sm">{t('console.imports.reportHelp')}</Text>
                  </Group>
                ) : null}
              </>
            ) : null}
          </Stack>
        </Card>
      ) : null}
      {me && (me.role === 'admin' || me.role === 'officer') ? <CivilImportCard /> : null}
    </Stack>
  );
}
