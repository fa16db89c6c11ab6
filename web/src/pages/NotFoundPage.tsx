import { Link } from 'react-router'
import { useDocumentTitle } from '../lib/hooks'

export function NotFoundPage() {
  useDocumentTitle('Not found')
  return (
    <div className="page page-narrow">
      <h1>Page not found</h1>
      <p className="muted">
        There is nothing at this address. <Link to="/">Go to the gallery</Link>
      </p>
    </div>
  )
}
