import {
  Alert,
  Anchor,
  Button,
  Card,
  Container,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.ts';
import { PageLoader } from '../components/PageLoader.tsx';
import { usePageTitle } from '../components/usePageTitle.ts';
import { loadConsole } from '../console/preload.ts';
import { useLightForm } from '../lib/form.ts';
import { login, safeNext, useMe } from '../session.tsx';

/** Login with email or phone and password; a one-time password leads to the change-password form. */
export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('login.pageTitle'));
  const form = useLightForm({
    initialValues: { identifier: '', password: '' },
    validate: {
      identifier: (v: string) => (v.trim() ? null : t('login.identifierRequired')),
      password: (v: string) => (v ? null : t('login.passwordRequired')),
    },
  });
  const next = safeNext(params.get('next'));
  // fetch the console while the user types (a slow phone connection needs seconds for it); errors wait for later
  useEffect(() => {
    const id = setTimeout(() => void loadConsole().catch(() => undefined), 200);
    return () => clearTimeout(id);
  }, []);

  if (me.isPending) return <PageLoader />;
  if (me.user) return <Navigate to={me.user.mustChangePassword ? '/change-password' : next} replace />;

  async function submit(values: { identifier: string; password: string }) {
    setError(null);
    setBusy(true);
    try {
      const user = await login(values.identifier, values.password);
      // the dashboard's figures are asked for now, while the console renders (its code is usually here already)
      if (!user.mustChangePassword && next === '/console') {
        void loadConsole()
          .then((m) => m.prefetchDashboard(i18n.language))
          .catch(() => undefined);
      }
      navigate(user.mustChangePassword ? `/change-password?next=${encodeURIComponent(next)}` : next, {
        replace: true,
      });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PASSWORD_CHANGE_REQUIRED') {
        navigate('/change-password', { replace: true });
        return;
      }
      setError(e instanceof ApiError && e.status !== 0 ? e.message : t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container size={460} px={{ base: 'sm', sm: 'md' }}>
      <Stack gap="lg">
        <div>
          <Title order={1} fz={{ base: 26, sm: 32 }}>
            {t('login.title')}
          </Title>
          <Text mt="xs">{t('login.lead')}</Text>
        </div>
        <Card withBorder padding="lg">
          <form noValidate onSubmit={form.onSubmit(submit)}>
            <Stack gap="md">
              {error ? (
                <Alert color="red" role="alert" title={t('login.failed')}>
                  {error}
                </Alert>
              ) : null}
              <TextInput
                label={t('login.identifier')}
                description={t('login.identifierHelp')}
                autoComplete="username"
                required
                {...form.getInputProps('identifier')}
              />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('password.toggle') }}
                label={t('login.password')}
                autoComplete="current-password"
                required
                {...form.getInputProps('password')}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Card>
        <Text size="sm">
          {t('login.notOfficer')}{' '}
          <Anchor component={Link} to="/register" underline="always">
            {t('landing.cta')}
          </Anchor>
        </Text>
      </Stack>
    </Container>
  );
}
