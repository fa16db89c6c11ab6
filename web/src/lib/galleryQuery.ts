// The gallery's filters live in the URL (shareable, back-button friendly): `scope`, `label`,
// `sort=uploaded` (date taken is the default), `taken_from` / `taken_to` (YYYY-MM-DD, inclusive),
// `country` (ISO code), `city` and `camera`.
import type { ImageFilter } from '../api/endpoints'
import type { Library } from '../api/types'
import { validIsoDay } from './dates'

export type GallerySort = 'taken' | 'uploaded'

export interface GalleryQuery {
  label: string | null
  sort: GallerySort
  from: string | null
  to: string | null
  country: string | null
  city: string | null
  camera: string | null
}

export const EMPTY_QUERY: GalleryQuery = { label: null, sort: 'taken', from: null, to: null, country: null, city: null, camera: null }

const text = (v: string | null) => (v && v.trim() ? v.trim() : null)

export function readGalleryQuery(p: URLSearchParams): GalleryQuery {
  const country = text(p.get('country'))
  return {
    label: text(p.get('label')),
    sort: p.get('sort') === 'uploaded' ? 'uploaded' : 'taken',
    from: validIsoDay(p.get('taken_from')),
    to: validIsoDay(p.get('taken_to')),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    // A city means nothing without its country.
    city: country ? text(p.get('city')) : null,
    camera: text(p.get('camera')),
  }
}

/** The gallery URL for a scope and filters; defaults are left out ("/" is your library by date). */
export function galleryPath(scope: Library, q: GalleryQuery): string {
  const p = new URLSearchParams()
  if (scope !== 'mine') p.set('scope', scope)
  if (q.label) p.set('label', q.label)
  if (q.sort !== 'taken') p.set('sort', q.sort)
  if (q.from) p.set('taken_from', q.from)
  if (q.to) p.set('taken_to', q.to)
  if (q.country) p.set('country', q.country)
  if (q.country && q.city) p.set('city', q.city)
  if (q.camera) p.set('camera', q.camera)
  const s = p.toString()
  return s ? `/?${s}` : '/'
}

/** The API's query for these filters (the default sort is not sent). */
export function apiFilter(scope: Library | undefined, q: GalleryQuery): ImageFilter {
  return {
    label: q.label,
    scope,
    sort: q.sort === 'taken' ? null : q.sort,
    taken_from: q.from,
    taken_to: q.to,
    country: q.country,
    city: q.country ? q.city : null,
    camera: q.camera,
  }
}

/** True when anything narrows the list (the sort does not). */
export function isFiltered(q: GalleryQuery): boolean {
  return !!(q.label || q.from || q.to || q.country || q.camera)
}

/** The year the scrubber shows as current: the one a "jump to year" set (up to its 31 Dec). */
export function activeYear(q: GalleryQuery): number | null {
  if (q.from || !q.to || !q.to.endsWith('-12-31')) return null
  return Number(q.to.slice(0, 4))
}

/** Jump to a year: everything up to its last day, newest first, so the year is at the top. */
export function jumpToYear(q: GalleryQuery, year: number): GalleryQuery {
  return { ...q, sort: 'taken', from: null, to: `${String(year).padStart(4, '0')}-12-31` }
}
