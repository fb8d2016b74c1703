import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { PageLoader } from './components/PageLoader.tsx';
import { PublicLayout } from './components/PublicLayout.tsx';
import { loadConsole } from './console/preload.ts';
import { RequireSession } from './session.tsx';

/*
 * Route table. Public pages are split per route and stay light (no chart library); the console is one lazy
 * chunk imported below RequireSession, i.e. after login, or fetched ahead by the login page (never by the
 * landing or registration pages). Console pages go in console/routes.tsx.
 */
const LandingPage = lazy(() => import('./pages/LandingPage.tsx'));
const RegisterPage = lazy(() => import('./pages/RegisterPage.tsx'));
const RegisteredPage = lazy(() => import('./pages/RegisteredPage.tsx'));
const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));
// the console's code and its texts (i18n section `console`) load together, in parallel (the login page starts early)
const ConsoleApp = lazy(loadConsole);

export function App() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route index element={<LandingPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="register/done" element={<RegisteredPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="change-password" element={<ChangePasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route
        path="console/*"
        element={
          <RequireSession>
            <Suspense fallback={<PageLoader />}>
              <ConsoleApp />
            </Suspense>
          </RequireSession>
        }
      />
    </Routes>
  );
}
