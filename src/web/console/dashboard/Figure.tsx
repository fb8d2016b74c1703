import { Anchor, Button, Card, Group, Table as MTable, Stack, Title } from '@mantine/core';
import type React from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { downloadCsv, downloadXlsx, type Table } from './export.ts';

/** One dashboard figure: a titled card, its chart or bars, and CSV/XLSX downloads of its numbers. */
export function Figure({
  title,
  table,
  children,
  testId,
}: {
  title: string;
  table: Table;
  children: React.ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [busy, setBusy] = useState(false);
  async function xlsx() {
    setBusy(true);
    try {
      await downloadXlsx(table, title);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          <Group gap={6}>
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => downloadCsv(table, title)}
              aria-label={t('console.dashboard.downloadCsvOf', { name: title })}
              disabled={table.rows.length === 0}
            >
              CSV
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              onClick={xlsx}
              loading={busy}
              aria-label={t('console.dashboard.downloadXlsxOf', { name: title })}
              disabled={table.rows.length === 0}
            >
              XLSX
            </Button>
          </Group>
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

/** The figure's numbers as a compact table (beside a chart). */
export function NumberTable({
  table,
  maxHeight,
  label,
  links,
}: {
  table: Table;
  maxHeight?: number;
  /** accessible name of the scrolling region (when maxHeight is set) */
  label?: string;
  /** per row, where its count (the second column) leads: the records behind it */
  links?: (string | null | undefined)[];
}) {
  const body = (
    <MTable striped withTableBorder fz="sm" verticalSpacing={4}>
      <MTable.Thead>
        <MTable.Tr>
          {table.columns.map((c, i) => (
            <MTable.Th key={c} style={i > 0 ? { textAlign: 'right' } : undefined}>
              {c}
            </MTable.Th>
          ))}
        </MTable.Tr>
      </MTable.Thead>
      <MTable.Tbody>
        {table.rows.map((r, row) => (
          <MTable.Tr key={String(r[0])}>
            {r.map((v, i) => {
              const to = i === 1 && v != null ? links?.[row] : null;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <MTable.Td key={i} style={i > 0 ? { textAlign: 'right' } : undefined}>
                  {to ? (
                    <Anchor component={Link} to={to} fz="sm" aria-label={`${r[0]}: ${v}`}>
                      {v}
                    </Anchor>
                  ) : (
                    (v ?? '–')
                  )}
                </MTable.Td>
              );
            })}
          </MTable.Tr>
        ))}
      </MTable.Tbody>
    </MTable>
  );
  return maxHeight ? (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section style={{ maxHeight, overflowY: 'auto' }} tabIndex={0} aria-label={label}>
      {body}
    </section>
  ) : (
    body
  );
}
