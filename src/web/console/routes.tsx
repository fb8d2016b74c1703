import { Route, Routes } from 'react-router';
import NotFoundPage from '../pages/NotFoundPage.tsx';
import DashboardPage from './DashboardPage.tsx';

/**
 * Pages of the signed-in console, relative to /console. Everything imported here lands in the console chunk
 * (loaded only after login), so heavy libraries (charts, dropzone) belong here, never in the public pages.
 */
export function ConsoleRoutes() {
  return (
    <Routes>
      <Route index element={<DashboardPage />} />
      <Route path="*" element={<NotFoundPage home="/console" />} />
    </Routes>
  );
}
