import '@mantine/notifications/styles.css';
import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useNavigate } from 'react-router';
import { ApiError } from '../api.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { logout, SessionWatcher, useMe } from '../session.tsx';
import classes from './ConsoleApp.module.css';
import { dashboardPrefetch } from './dashboard/DashboardPage.tsx';
import { navFor } from './nav.ts';
import { ConsoleRoutes } from './routes.tsx';
import { useAreaNames } from './useAreaNames.ts';

/** The console's data cache (TanStack Query); the public pages do without it to stay light. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // client errors (4xx) do not change on a retry; a flaky connection might
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** The dashboard's data, asked for at login while the console renders (the login page calls this). */
export function prefetchDashboard(lang: string) {
  dashboardPrefetch(queryClient, lang);
}

export default function ConsoleApp() {
  return (
    <QueryClientProvider client={queryClient}>
      <ConsoleShell />
    </QueryClientProvider>
  );
}

/**
 * Logs out and goes to the landing page. Its own component: useNavigate reads the location, and the shell
 * reading it would render again (header, navigation, the page) on every change of the URL, such as each
 * filter of the participant list.
 */
function LogoutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  async function onLogout() {
    await logout().catch(() => undefined);
    queryClient.clear();
    navigate('/', { replace: true });
  }
  return (
    <Button variant="default" size="xs" onClick={onLogout}>
      {t('console.logout')}
    </Button>
  );
}

/**
 * The signed-in shell (/console/*): header with the user, role, area, language and logout; the navigation;
 * the console pages. Loaded as its own chunk after login (see App.tsx).
 */
function ConsoleShell() {
  const { t } = useTranslation();
  const me = useMe().user!;
  const [opened, { toggle, close }] = useDisclosure(false);
  const areaNames = useAreaNames(me.areas);
  const area = me.areas.length === 0 ? t('console.allAreas') : areaNames.join(', ');
  const name = me.displayName ?? me.email ?? me.phone ?? '';

  return (
    <AppShell
      header={{ height: { base: 96, sm: 60 } }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <SessionWatcher />
      <Notifications position="top-right" />
      <a href="#main" className="jkp-skip-link">
        {t('common.skipToContent')}
      </a>
      <AppShell.Header>
        <div className={classes.header}>
          <div className={classes.left}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('console.closeMenu') : t('console.openMenu')}
            />
            <Text fw={800} size="lg" visibleFrom="sm">
              Jakpreneur
            </Text>
            <Stack gap={2} className={classes.user} data-testid="console-user">
              <Text size="sm" fw={600} truncate="end">
                {name}
              </Text>
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <Badge size="xs" variant="filled" style={{ flexShrink: 0 }}>
                  {t(`role.${me.role}`)}
                </Badge>
                <Text size="xs" c="gray.7" truncate="end">
                  {area}
                </Text>
              </Group>
            </Stack>
          </div>
          <div className={classes.right}>
            <LanguageSwitch size="xs" />
            <LogoutButton />
          </div>
        </div>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('console.navLabel')}>
        <ScrollArea>
          {navFor(me.role).map((item) => (
            <NavLink
              key={item.to}
              component={RouterNavLink}
              to={item.to}
              end={item.end}
              label={t(item.labelKey)}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<PageLoader />}>
          <ConsoleRoutes />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
