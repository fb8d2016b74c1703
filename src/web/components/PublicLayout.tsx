import { Anchor, Box, Button, Container, Group, Text } from '@mantine/core';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useKnownUser } from '../session.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PageLoader } from './PageLoader.tsx';
import classes from './PublicLayout.module.css';

/** Header, main and footer of the public pages (landing, registration, login). */
export function PublicLayout() {
  const { t } = useTranslation();
  const user = useKnownUser();
  return (
    <>
      <a href="#main" className="jkp-skip-link">
        {t('common.skipToContent')}
      </a>
      <Box component="header" className={classes.header}>
        <Container size="lg" className={classes.bar}>
          <Anchor component={Link} to="/" className={classes.brand} underline="never">
            <span className={classes.logo} aria-hidden="true">
              J
            </span>
            <span className={classes.brandText}>Jakpreneur</span>
          </Anchor>
          <Group gap="xs" wrap="nowrap" className={classes.actions}>
            <LanguageSwitch size="xs" />
            {user ? (
              <Button
                component={Link}
                to="/console"
                variant="subtle"
                size="xs"
                px="xs"
                className={classes.login}
              >
                {t('nav.console')}
              </Button>
            ) : (
              <Button
                component={Link}
                to="/login"
                variant="subtle"
                size="xs"
                px="xs"
                className={classes.login}
              >
                {t('nav.login')}
              </Button>
            )}
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main" tabIndex={-1} className={classes.main}>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </Box>
      <Box component="footer" className={classes.footer}>
        <Container size="lg">
          <Text size="sm" c="gray.7">
            {t('footer.about')}
          </Text>
          <Text size="sm" c="gray.7" mt={4}>
            {t('footer.regions')}{' '}
            <Anchor href="https://github.com/fityannugroho/idn-area-data" size="sm" underline="always">
              idn-area-data
            </Anchor>{' '}
            (ODbL) · {t('footer.developers')}{' '}
            <Anchor href="/api/docs" size="sm" underline="always">
              /api/docs
            </Anchor>
          </Text>
        </Container>
      </Box>
    </>
  );
}
