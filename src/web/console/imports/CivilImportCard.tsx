import {
  Alert,
  Button,
  Card,
  Checkbox,
  FileInput,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { toCsv } from '../dashboard/export.ts';
import { TemplateLinks } from './TemplateLinks.tsx';
import { progressPct, UNREADABLE_ANSWER, type UploadProgress, uploadFollowing } from './upload.ts';

type CivilProgress = { rows: number; bytesRead: number; totalBytes: number };

type CivilResult = {
  dryRun: boolean;
  summary: {
    rows: number;
    matched: number;
    mismatch: number;
    deceased: number;
    changed: number;
    unchanged: number;
    notFound: number;
    invalid: number;
  };
  errors: { row: number; column: string; code: string; message: string }[];
  errorsTotal: number;
};

const KEYS = ['rows', 'matched', 'mismatch', 'deceased', 'changed', 'notFound', 'invalid'] as const;

/** A CSV of the rejected rows, built in the browser from the answer (toCsv: formula-like cells quoted away). */
function reportBlob(errors: CivilResult['errors']): Blob {
  return new Blob(
    [
      toCsv({
        columns: ['Baris / Row', 'Kolom / Column', 'Kode / Code', 'Pesan / Message'],
        rows: errors.map((e) => [e.row, e.column, e.code, e.message]),
      }),
    ],
    { type: 'text/csv;charset=utf-8' },
  );
}

/** An object URL for the rejected rows of an answer, made once per answer and freed after it. */
function useReportHref(r: CivilResult | undefined): string | null {
  const href = useMemo(
    () => (r && r.errorsTotal > 0 ? URL.createObjectURL(reportBlob(r.errors)) : null),
    [r],
  );
  useEffect(() => () => (href ? URL.revokeObjectURL(href) : undefined), [href]);
  return href;
}

/**
 * Loading a civil-registry (Dukcapil) match file: NIK and result per row; sets each record's civil status
 * (audited), shows what changed and the rows it could not use.
 */
export function CivilImportCard() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<UploadProgress<CivilProgress> | null>(null);
  const run = useMutation({
    mutationFn: (fl: File) => {
      setProgress({ phase: 'upload', pct: 0 });
      return uploadFollowing<CivilResult, CivilProgress>(
        `/imports/civil-registry?dryRun=${dryRun}`,
        fl,
        lang,
        setProgress,
      );
    },
  });
  const r = run.data;
  const report = useReportHref(r);
  const pct = !progress
    ? 0
    : progress.phase === 'upload'
      ? progress.pct
      : progressPct(progress.progress.bytesRead, progress.progress.totalBytes);
  const err = run.error instanceof ApiError ? run.error : null;
  return (
    <Card withBorder data-testid="civil-card">
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('console.civil.title')}
        </Title>
        <Text size="sm">{t('console.civil.intro')}</Text>
        <TemplateLinks
          base="/api/v1/imports/civil-registry/template"
          lang={lang}
          xlsx={t('console.civil.templateXlsx')}
          csv={t('console.civil.templateCsv')}
        />
        <FileInput
          label={t('console.civil.fileLabel')}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(v) => {
            setFile(v);
            run.reset();
          }}
          clearable
          clearButtonProps={{ 'aria-label': t('console.civil.clearFile') }}
          maw={480}
        />
        <Checkbox
          label={t('console.imports.dryRun')}
          description={t('console.civil.dryRunHelp')}
          checked={dryRun}
          onChange={(e) => setDryRun(e.currentTarget.checked)}
        />
        <Group>
          <Button onClick={() => file && run.mutate(file)} disabled={!file} loading={run.isPending}>
            {t('console.civil.start')}
          </Button>
        </Group>
        {run.isPending && progress ? (
          <Stack gap={4} aria-live="polite" data-testid="civil-progress">
            <Progress value={pct} size="lg" animated aria-label={t('console.civil.progressLabel')} />
            <Text size="sm">
              {progress.phase === 'upload'
                ? t('console.civil.uploading', { pct: progress.pct })
                : t('console.civil.working', {
                    pct,
                    rows: f.number(progress.progress.rows),
                  })}
            </Text>
          </Stack>
        ) : null}
        {err ? (
          <Alert color="red" role="alert" title={t('console.imports.uploadFailed')}>
            {err.code === UNREADABLE_ANSWER ? t('console.imports.unreadableAnswer') : err.message}
          </Alert>
        ) : run.error ? (
          <Alert color="red" role="alert">
            {t('common.networkError')}
          </Alert>
        ) : null}
        {r ? (
          <Stack gap="sm" aria-live="polite">
            <Alert
              color="green"
              styles={{ title: { color: 'var(--mantine-color-text)' } }}
              title={t('console.civil.done')}
            >
              {r.dryRun
                ? t('console.civil.doneDryRun')
                : t('console.civil.doneSaved', { n: f.number(r.summary.changed) })}
            </Alert>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="civil-summary">
              {KEYS.map((k) => (
                <Card key={k} withBorder padding="sm" data-testid={`civil-${k}`}>
                  <Text size="xs" c="dimmed">
                    {t(`console.civil.summary.${k}`)}
                  </Text>
                  <Text fw={700} size="xl">
                    {f.number(r.summary[k])}
                  </Text>
                </Card>
              ))}
            </SimpleGrid>
            {r.errorsTotal > 0 ? (
              <>
                <Group>
                  <Button
                    component="a"
                    href={report ?? undefined}
                    download="dukcapil-ditolak.csv"
                    color="red"
                  >
                    {t('console.imports.report')}
                  </Button>
                  {r.errorsTotal > r.errors.length ? (
                    <Text size="sm">
                      {t('console.civil.moreErrors', {
                        shown: f.number(r.errors.length),
                        total: f.number(r.errorsTotal),
                      })}
                    </Text>
                  ) : null}
                </Group>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('console.civil.row')}</Table.Th>
                      <Table.Th>{t('console.civil.column')}</Table.Th>
                      <Table.Th>{t('console.civil.problem')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.errors.slice(0, 10).map((e) => (
                      <Table.Tr key={`${e.row}-${e.column}`}>
                        <Table.Td>{e.row}</Table.Td>
                        <Table.Td>{e.column}</Table.Td>
                        <Table.Td>{e.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            ) : null}
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
