import { Alert, Button, Checkbox, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { COLLABORATOR_TYPES, type CollaboratorValues, PATH_TO_FIELD, STAGES } from './types.ts';

type Props = {
  initial: CollaboratorValues;
  submitLabel: string;
  onSubmit: (v: CollaboratorValues) => Promise<unknown>;
  onCancel?: () => void;
};

/** Create and edit form; the API's field errors (problem+json `errors[].path`) are shown next to the fields. */
export function CollaboratorForm({ initial, submitLabel, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<CollaboratorValues>({
    initialValues: initial,
    validate: {
      name: (v) => (v.trim().length < 2 ? t('console.collaborators.nameRequired') : null),
      type: (v) => (v ? null : t('console.collaborators.typeRequired')),
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the record changes
  useEffect(() => {
    form.setInitialValues(initial);
    form.setValues(initial);
  }, [initial]);

  async function submit(v: CollaboratorValues) {
    setProblem(null);
    setBusy(true);
    try {
      await onSubmit(v);
    } catch (e) {
      if (e instanceof ApiError) {
        const errs: Record<string, string> = {};
        const other: string[] = [];
        for (const p of e.errors) {
          const field = PATH_TO_FIELD[p.path];
          if (field) errs[field] = errs[field] ? `${errs[field]} ${p.message}` : p.message;
          else other.push(p.message);
        }
        form.setErrors(errs);
        setProblem([e.message, ...other].join(' '));
      } else setProblem(t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        {problem ? (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('console.collaborators.name')} required {...form.getInputProps('name')} />
          <Select
            label={t('console.collaborators.type')}
            required
            data={COLLABORATOR_TYPES.map((v) => ({ value: v, label: t(`console.collaborators.types.${v}`) }))}
            {...form.getInputProps('type')}
          />
          <TextInput label={t('console.collaborators.mouNumber')} {...form.getInputProps('mouNumber')} />
          <span />
          <TextInput
            type="date"
            label={t('console.collaborators.mouStart')}
            {...form.getInputProps('mouStart')}
          />
          <TextInput
            type="date"
            label={t('console.collaborators.mouEnd')}
            {...form.getInputProps('mouEnd')}
          />
          <TextInput label={t('console.collaborators.contactName')} {...form.getInputProps('contactName')} />
          <TextInput
            type="email"
            label={t('console.collaborators.contactEmail')}
            {...form.getInputProps('contactEmail')}
          />
          <TextInput
            type="tel"
            label={t('console.collaborators.contactPhone')}
            {...form.getInputProps('contactPhone')}
          />
        </SimpleGrid>
        <Checkbox.Group label={t('console.collaborators.stages')} {...form.getInputProps('stages')}>
          <Group gap="md" mt={4}>
            {STAGES.map((s) => (
              <Checkbox key={s} value={s} label={s} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('console.collaborators.cancel')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}
