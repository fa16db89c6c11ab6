import { Route, Routes, useSearchParams } from 'react-router'
import { Layout } from './components/Layout'
import { SessionProvider } from './lib/session'
import { UploadProvider } from './lib/uploads'
import { GalleryPage } from './pages/GalleryPage'
import { UploadPage } from './pages/UploadPage'
import { ImagePage } from './pages/ImagePage'
import { LabelsPage } from './pages/LabelsPage'
import { SearchPage } from './pages/SearchPage'
import { PlacesPage } from './pages/PlacesPage'
import { LoginPage, RegisterPage } from './pages/AuthPages'
import { AccountPage } from './pages/AccountPage'
import { TokensPage } from './pages/TokensPage'
import { AdminUsersPage } from './pages/AdminUsersPage'
import { SharedPage } from './pages/SharedPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { FavoritesPage } from './pages/FavoritesPage'
import { AlbumPage, AlbumsPage } from './pages/AlbumsPage'
import { TrashPage } from './pages/TrashPage'
import { DuplicatesPage } from './pages/DuplicatesPage'
import { Toaster } from './components/Toaster'
import { Viewer } from './components/Viewer'
import { isViewerOpen } from './lib/viewerUrl'

/** `/images/{id}`: the image page, or with `?view=1` the full-screen viewer. */
function ImageRoute() {
  const [params] = useSearchParams()
  return isViewerOpen(params) ? <Viewer /> : <ImagePage />
}

export default function App() {
  return (
    <SessionProvider>
      <UploadProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<GalleryPage />} />
          <Route path="upload" element={<UploadPage />} />
          <Route path="images/:id" element={<ImageRoute />} />
          <Route path="labels" element={<LabelsPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="places" element={<PlacesPage />} />
          <Route path="favorites" element={<FavoritesPage />} />
          <Route path="albums" element={<AlbumsPage />} />
          <Route path="albums/:id" element={<AlbumPage />} />
          <Route path="trash" element={<TrashPage />} />
          <Route path="duplicates" element={<DuplicatesPage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="account/tokens" element={<TokensPage />} />
          <Route path="admin/users" element={<AdminUsersPage />} />
          <Route path="s/:token" element={<SharedPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      <Toaster />
      </UploadProvider>
    </SessionProvider>
  )
}
