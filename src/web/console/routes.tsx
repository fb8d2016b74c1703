import { Route, Routes } from 'react-router';
import NotFoundPage from '../pages/NotFoundPage.tsx';
import CollaboratorPage from './collaborators/CollaboratorPage.tsx';
import CollaboratorsPage from './collaborators/CollaboratorsPage.tsx';
import NewCollaboratorPage from './collaborators/NewCollaboratorPage.tsx';
import DashboardPage from './dashboard/DashboardPage.tsx';
import DuplicatePairPage from './duplicates/PairPage.tsx';
import DuplicatesPage from './duplicates/QueuePage.tsx';
import ImportPage from './imports/ImportPage.tsx';
import ParticipantFormPage from './participants/FormPage.tsx';
import ParticipantsPage from './participants/ListPage.tsx';
import ParticipantPage from './participants/RecordPage.tsx';
import QrisPage from './qris/QrisPage.tsx';
import QualityPage from './quality/QualityPage.tsx';
import UsersPage from './users/UsersPage.tsx';

/**
 * Pages of the signed-in console, relative to /console. Everything imported here lands in the console chunk
 * (loaded only after login), so heavy libraries (charts, dropzone) belong here, never in the public pages.
 */
export function ConsoleRoutes() {
  return (
    <Routes>
      <Route index element={<DashboardPage />} />
      <Route path="participants" element={<ParticipantsPage />} />
      <Route path="participants/new" element={<ParticipantFormPage />} />
      <Route path="participants/:id" element={<ParticipantPage />} />
      <Route path="participants/:id/edit" element={<ParticipantFormPage />} />
      <Route path="duplicates" element={<DuplicatesPage />} />
      <Route path="duplicates/:id" element={<DuplicatePairPage />} />
      <Route path="imports" element={<ImportPage />} />
      <Route path="collaborators" element={<CollaboratorsPage />} />
      <Route path="collaborators/new" element={<NewCollaboratorPage />} />
      <Route path="collaborators/:id" element={<CollaboratorPage />} />
      <Route path="quality" element={<QualityPage />} />
      <Route path="users" element={<UsersPage />} />
      <Route path="participants/:id/qris" element={<QrisPage />} />
      <Route path="*" element={<NotFoundPage home="/console" />} />
    </Routes>
  );
}
