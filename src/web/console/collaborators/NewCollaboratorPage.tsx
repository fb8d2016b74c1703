import { Anchor, Stack, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { post } from '../../api.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { CollaboratorForm } from './CollaboratorForm.tsx';
import { type CollaboratorDetail, toBody, toValues } from './types.ts';

const EMPTY = toValues(null);

export default function NewCollaboratorPage() {
  const { t } = useTranslation();
  usePageTitle(t('console.collaborators.createTitle'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  return (
    <Stack gap="lg" maw={820}>
      <Anchor component={Link} to="/console/collaborators" size="sm">
        {t('console.collaborators.back')}
      </Anchor>
      <Title order={1}>{t('console.collaborators.createTitle')}</Title>
      <CollaboratorForm
        initial={EMPTY}
        submitLabel={t('console.collaborators.save')}
        onCancel={() => navigate('/console/collaborators')}
        onSubmit={async (v) => {
          const c = await post<CollaboratorDetail>('/collaborators', toBody(v));
          await qc.invalidateQueries({ queryKey: ['collaborators'] });
          navigate(`/console/collaborators/${c.id}`, { state: { created: true } });
        }}
      />
    </Stack>
  );
}
