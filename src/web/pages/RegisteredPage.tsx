import { Button, Card, Container, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import { usePageTitle } from '../components/usePageTitle.ts';
import type { RegistrationResult } from '../types.ts';

/** The confirmation after a self-registration, with the registration number to keep. */
export default function RegisteredPage() {
  const { t } = useTranslation();
  const loc = useLocation();
  usePageTitle(t('registered.pageTitle'));
  const res = loc.state as RegistrationResult | null;
  if (!res?.registrationNumber) return <Navigate to="/register" replace />;
  return (
    <Container size="sm">
      <Stack gap="lg">
        <Title order={1} fz={{ base: 26, sm: 32 }}>
          {t('registered.title')}
        </Title>
        <Card withBorder padding="lg">
          <Text>{t('registered.thanks', { name: res.fullName })}</Text>
          <Text size="sm" c="gray.7" mt="md">
            {t('registered.number')}
          </Text>
          <Text
            fz={{ base: 24, sm: 30 }}
            fw={800}
            ff="monospace"
            data-testid="registration-number"
            style={{ overflowWrap: 'anywhere' }}
          >
            {res.registrationNumber}
          </Text>
          <Text size="sm" mt="xs">
            {t('registered.keep')}
          </Text>
        </Card>
        <Card withBorder padding="lg" component="section" aria-labelledby="next-title">
          <Title order={2} size="h4" id="next-title">
            {t('registered.nextTitle')}
          </Title>
          <List mt="sm" spacing="xs" type="ordered">
            <List.Item>{t('registered.next1')}</List.Item>
            <List.Item>{t('registered.next2')}</List.Item>
            <List.Item>{t('registered.next3')}</List.Item>
          </List>
        </Card>
        <Group>
          <Button component={Link} to="/" variant="default">
            {t('registered.home')}
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}
