import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { listPlaces } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { PlaceCount } from '../api/types'
import { EmptyState, ErrorBox, Spinner } from '../components/ui'
import { useDocumentTitle } from '../lib/hooks'
import { GEONAMES_CREDIT, GEONAMES_URL } from '../lib/photoInfo'
import { useSession } from '../lib/session'

export interface CountryPlaces {
  code: string
  name: string
  count: number
  cities: Array<{ city: string; region: string | null; count: number }>
  /** photos in the country with no town near enough to name */
  elsewhere: number
}

/** One row per city → countries (most photos first) with their cities (most photos first). */
export function groupPlaces(items: PlaceCount[]): CountryPlaces[] {
  const by = new Map<string, CountryPlaces>()
  for (const it of items) {
    let c = by.get(it.country_code)
    if (!c) {
      c = { code: it.country_code, name: it.country || it.country_code, count: 0, cities: [], elsewhere: 0 }
      by.set(it.country_code, c)
    }
    c.count += it.count
    if (it.city) c.cities.push({ city: it.city, region: it.region, count: it.count })
    else c.elsewhere += it.count
  }
  const byCount = <T extends { count: number }>(a: T, b: T, an: string, bn: string) => b.count - a.count || an.localeCompare(bn)
  const out = [...by.values()]
  for (const c of out) c.cities.sort((a, b) => byCount(a, b, a.city, b.city))
  return out.sort((a, b) => byCount(a, b, a.name, b.name))
}

export const placeHref = (cc: string, city?: string | null) =>
  `/?country=${encodeURIComponent(cc)}${city ? `&city=${encodeURIComponent(city)}` : ''}`

const photos = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`

export function PlacesPage() {
  useDocumentTitle('Places')
  const { user } = useSession()
  const [items, setItems] = useState<PlaceCount[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setError(null)
    listPlaces(ac.signal)
      .then((r) => setItems(r.items))
      .catch((e) => {
        if (!isAbort(e)) setError(errorMessage(e))
      })
    return () => ac.abort()
  }, [user, attempt])

  if (user === null) {
    return (
      <div className="page page-narrow">
        <h1>Places</h1>
        <div className="card">
          <p>
            <Link to="/login?next=/places">Sign in</Link> to see where your photos were taken.
          </p>
        </div>
      </div>
    )
  }

  const countries = items ? groupPlaces(items) : []
  const total = countries.reduce((n, c) => n + c.count, 0)
  return (
    <div className="page page-narrow">
      <div className="page-head">
        <div>
          <h1 data-testid="places-title">Places</h1>
          {items && countries.length > 0 && (
            <p className="muted" data-testid="places-summary">
              {photos(total)} with a position, in {countries.length} {countries.length === 1 ? 'country' : 'countries'}.
            </p>
          )}
        </div>
      </div>
      {error && <ErrorBox message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {!error && items === null && <Spinner label="Loading places…" />}
      {items && countries.length === 0 && (
        <EmptyState title="No places yet" testId="places-empty">
          <p>Photos with GPS positions appear here, by country and city. You can also add a position to a photo on its page.</p>
        </EmptyState>
      )}
      {countries.length > 0 && (
        <ul className="places-list" data-testid="places-list">
          {countries.map((c) => (
            <li key={c.code}>
              <details className="place-country" data-testid="place-country" data-country={c.code} open={countries.length <= 3}>
                <summary>
                  <span className="place-cc" aria-hidden="true">
                    {c.code}
                  </span>
                  <span className="place-name">{c.name}</span>
                  <span className="place-count" aria-label={photos(c.count)}>
                    {c.count}
                  </span>
                </summary>
                <ul className="place-cities">
                  <li>
                    <Link to={placeHref(c.code)} data-testid="place-country-link">
                      <strong>All of {c.name}</strong>
                      <span className="place-count">{c.count}</span>
                    </Link>
                  </li>
                  {c.cities.map((city) => (
                    <li key={city.city}>
                      <Link to={placeHref(c.code, city.city)} data-testid="place-city" data-city={city.city} title={[city.city, city.region, c.name].filter(Boolean).join(', ')}>
                        <span>
                          {city.city}
                          {city.region && <span className="place-region"> · {city.region}</span>}
                        </span>
                        <span className="place-count" aria-label={photos(city.count)}>
                          {city.count}
                        </span>
                      </Link>
                    </li>
                  ))}
                  {c.elsewhere > 0 && (
                    <li className="muted small" data-testid="place-elsewhere">
                      {photos(c.elsewhere)} away from any town
                    </li>
                  )}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
      <p className="credit" data-testid="geonames-credit">
        <a href={GEONAMES_URL} target="_blank" rel="noreferrer">
          {GEONAMES_CREDIT}
        </a>
        . Positions come from your photos; only you see them.
      </p>
    </div>
  )
}
