import { Button, Group } from '@mantine/core';

/** The XLSX and CSV downloads of an import template (`base` answers ?format=xlsx|csv&lang=id|en). */
export function TemplateLinks({
  base,
  lang,
  xlsx,
  csv,
}: {
  base: string;
  lang: 'id' | 'en';
  /** the links' texts: each must name its template (screen readers list links by name) */
  xlsx: string;
  csv: string;
}) {
  return (
    <Group gap="sm">
      {(
        [
          ['xlsx', xlsx],
          ['csv', csv],
        ] as const
      ).map(([format, label]) => (
        <Button
          key={format}
          component="a"
          variant="default"
          href={`${base}?format=${format}&lang=${lang}`}
          download
        >
          {label}
        </Button>
      ))}
    </Group>
  );
}
