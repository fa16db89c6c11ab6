import { Link } from 'react-router'
import { ImageFeed } from '../components/ImageFeed'
import { SelectButton, SelectionProvider } from '../components/Selection'
import { Spinner } from '../components/ui'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'

export function FavoritesPage() {
  useDocumentTitle('Favourites')
  const { user } = useSession()
  return (
    <SelectionProvider enabled={!!user}>
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1 data-testid="favorites-title">Favourites</h1>
          <p className="muted">The photos you marked with the heart.</p>
        </div>
        {user && (
          <div className="head-actions">
            <SelectButton />
          </div>
        )}
      </div>
      {user === undefined ? (
        <Spinner />
      ) : user === null ? (
        <p className="muted">
          <Link to="/login">Sign in</Link> to see your favourites.
        </p>
      ) : (
        <ImageFeed
          filter={{ favorite: true }}
          source="/favorites"
          view="favorites"
          emptyTitle="No favourites yet"
          emptyBody={<p>Open a photo and press the heart, or use the heart on a photo in the gallery.</p>}
        />
      )}
    </div>
    </SelectionProvider>
  )
}
