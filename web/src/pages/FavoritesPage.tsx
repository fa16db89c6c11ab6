import { Link } from 'react-router'
import { ImageFeed } from '../components/ImageFeed'
import { Spinner } from '../components/ui'
import { useDocumentTitle } from '../lib/hooks'
import { useSession } from '../lib/session'

export function FavoritesPage() {
  useDocumentTitle('Favourites')
  const { user } = useSession()
  return (
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1 data-testid="favorites-title">Favourites</h1>
          <p className="muted">The photos you marked with the heart.</p>
        </div>
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
          emptyTitle="No favourites yet"
          emptyBody={<p>Open a photo and press the heart, or use the heart on a photo in the gallery.</p>}
        />
      )}
    </div>
  )
}
