import { Alert, Button, Card, Container, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.ts';
import { PageLoader } from '../components/PageLoader.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { useLightForm } from '../lib/form.ts';
import { changePassword, safeNext, useMe } from '../session.tsx';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** Changing a one-time (or any) password: POST /auth/password, then on to the console. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('password.pageTitle'));
  const form = useLightForm<Values>({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v: string) => (v ? null : t('login.passwordRequired')),
      newPassword: (v: string) => (v.length >= 10 ? null : t('password.tooShort')),
      confirm: (v: string, all) => (v === all.newPassword ? null : t('password.mismatch')),
    },
  });

  if (me.isPending) return <PageLoader />;
  if (!me.user) return <Navigate to="/login" replace />;

  async function submit(values: Values) {
    setError(null);
    setBusy(true);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        const fields: Record<string, string> = {};
        for (const fe of e.errors) {
          if (fe.path === 'currentPassword' || fe.path === 'newPassword') fields[fe.path] = fe.message;
        }
        form.setErrors(fields);
        if (Object.keys(fields).length === 0) setError(e.status === 0 ? t('common.networkError') : e.message);
      } else setError(t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container size={460} px={{ base: 'sm', sm: 'md' }}>
      <Stack gap="lg">
        <div>
          <Title order={1} fz={{ base: 26, sm: 32 }}>
            {t('password.title')}
          </Title>
          <Text mt="xs">{me.user.mustChangePassword ? t('password.leadRequired') : t('password.lead')}</Text>
        </div>
        <Card withBorder padding="lg">
          <form noValidate onSubmit={form.onSubmit(submit)}>
            <Stack gap="md">
              {error ? (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              ) : null}
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('password.toggle') }}
                label={t('password.current')}
                autoComplete="current-password"
                required
                {...form.getInputProps('currentPassword')}
              />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('password.toggle') }}
                label={t('password.new')}
                description={t('password.rules')}
                autoComplete="new-password"
                required
                {...form.getInputProps('newPassword')}
              />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('password.toggle') }}
                label={t('password.confirm')}
                autoComplete="new-password"
                required
                {...form.getInputProps('confirm')}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t('password.submit')}
              </Button>
            </Stack>
          </form>
        </Card>
      </Stack>
    </Container>
  );
}
