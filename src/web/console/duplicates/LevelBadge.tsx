import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Level, levelColor } from './data.ts';

/** "Sure duplicate" / "To review", in words (the colour only repeats them). */
export function LevelBadge({ level }: { level: Level }) {
  const { t } = useTranslation();
  return (
    <Badge color={levelColor[level]} variant="filled" autoContrast data-testid="level-badge">
      {t(`console.duplicates.level.${level}`)}
    </Badge>
  );
}
