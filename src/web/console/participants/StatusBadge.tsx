import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Status, statusColor } from './data.ts';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={statusColor[status]}
      variant="filled"
      data-testid="status-badge"
      // never cut to "TER…" by a narrow table column
      style={{ minWidth: 'max-content' }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
