import { Badge } from '@mantine/core';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { type Status, statusColor } from './data.ts';

/** The badge of a status with its text given (a list makes one per status and shares it among its rows). */
export function statusBadge(status: Status, label: string): ReactElement {
  return (
    <Badge
      color={statusColor[status]}
      variant="filled"
      data-testid="status-badge"
      // never cut to "TER…" by a narrow table column
      style={{ minWidth: 'max-content' }}
    >
      {label}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return statusBadge(status, t(`status.${status}`));
}
