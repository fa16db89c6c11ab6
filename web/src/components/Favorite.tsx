import { useRef, useState } from 'react'
import { favoriteImage, unfavoriteImage } from '../api/endpoints'
import { errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { updateInGalleries } from '../lib/galleryCache'

/**
 * The heart: marks an image as one of the caller's favourites. Optimistic: it shows the new
 * state at once and goes back (with the server's reason) when the request fails.
 */
export function FavoriteButton({
  image,
  onChange,
  variant = 'page',
  label = 'Favourite',
}: {
  image: Image
  onChange?: (img: Image) => void
  /** `page`: a labelled button with room for an error; `tile`: a round icon over a gallery tile. */
  variant?: 'page' | 'tile'
  /** The accessible name (the pressed state is aria-pressed, so it stays the same). */
  label?: string
}) {
  const given = !!image.favorite
  const [on, setOn] = useState(given)
  const [error, setError] = useState<string | null>(null)
  // Follow the image when it changes under the button (another image, a fresh copy).
  const [seen, setSeen] = useState(`${image.id}|${given}`)
  if (seen !== `${image.id}|${given}`) {
    setSeen(`${image.id}|${given}`)
    setOn(given)
    setError(null)
  }
  const busy = useRef(false)
  const toggle = async () => {
    if (busy.current) return
    busy.current = true
    const next = !on
    setOn(next)
    setError(null)
    try {
      const img = await (next ? favoriteImage : unfavoriteImage)(image.id)
      const fav = img?.favorite ?? next
      setOn(fav)
      const updated = { ...image, ...img, favorite: fav }
      updateInGalleries(updated)
      onChange?.(updated)
    } catch (e) {
      setOn(!next)
      setError(next ? `Could not add to favourites: ${errorMessage(e)}` : `Could not remove from favourites: ${errorMessage(e)}`)
    } finally {
      busy.current = false
    }
  }
  const heart = (
    <svg viewBox="0 0 24 24" className="heart" aria-hidden="true">
      <path
        d="M12 20.5s-7.5-4.6-9.3-9.4C1.5 7.9 3.6 4.5 7 4.5c2 0 3.7 1.1 5 3 1.3-1.9 3-3 5-3 3.4 0 5.5 3.4 4.3 6.6-1.8 4.8-9.3 9.4-9.3 9.4z"
        fill={on ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
    </svg>
  )
  if (variant === 'tile') {
    return (
      <button
        type="button"
        className={'tile-fav' + (on ? ' is-on' : '')}
        aria-pressed={on}
        aria-label={label}
        title={error ?? (on ? 'Remove from favourites' : 'Add to favourites')}
        onClick={() => void toggle()}
        data-testid="tile-favorite"
      >
        {heart}
        {error && (
          <span className="sr-only" role="alert">
            {error}
          </span>
        )}
      </button>
    )
  }
  return (
    <div className="fav-wrap">
      <button
        type="button"
        className={'btn btn-secondary btn-small fav-btn' + (on ? ' is-on' : '')}
        aria-pressed={on}
        aria-label={label}
        title={on ? 'Remove from favourites' : 'Add to favourites'}
        onClick={() => void toggle()}
        data-testid="favorite-toggle"
      >
        {heart}
        <span aria-hidden="true">Favourite</span>
      </button>
      {error && (
        <p className="err-text small" role="alert" data-testid="favorite-error">
          {error}
        </p>
      )}
    </div>
  )
}
