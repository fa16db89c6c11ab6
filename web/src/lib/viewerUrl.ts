// The full-screen viewer is a URL state of the image page: `/images/{id}?view=1`, plus the list
// it steps through (the gallery's filters, an album, the favourites, a search), so Back closes it,
// a link opens it, and ←/→ follow the list the user came from.
import type { ImageFilter } from '../api/endpoints'
import type { NavList } from './nav'

/** The list parameters a viewer URL carries: those of GET /api/v1/images, and a search's `q`. */
export const LIST_PARAMS = ['scope', 'label', 'sort', 'taken_from', 'taken_to', 'country', 'city', 'camera', 'album', 'favorite', 'q'] as const
export type ListContext = Partial<Record<(typeof LIST_PARAMS)[number], string>>

export function viewerHref(id: string, ctx: ListContext = {}): string {
  const p = new URLSearchParams({ view: '1' })
  for (const k of LIST_PARAMS) {
    const v = ctx[k]
    if (v) p.set(k, v)
  }
  return `/images/${encodeURIComponent(id)}?${p.toString()}`
}

export function isViewerOpen(params: URLSearchParams): boolean {
  return params.get('view') === '1'
}

export function contextFromParams(params: URLSearchParams): ListContext {
  const ctx: ListContext = {}
  for (const k of LIST_PARAMS) {
    const v = params.get(k)
    if (v) ctx[k] = v
  }
  return ctx
}

/** The list the user browsed last, as viewer parameters, when `id` is in it. */
export function contextFromNavList(list: NavList | null, id: string): ListContext {
  if (!list || !list.ids.includes(id)) return {}
  if (list.source.startsWith('/search')) {
    const q = new URLSearchParams(list.source.split('?')[1] ?? '').get('q')
    return q ? { q } : {}
  }
  const ctx: ListContext = {}
  const f = list.filter ?? {}
  const set = (k: keyof ListContext, v: unknown) => {
    if (v !== null && v !== undefined && v !== '' && v !== false) ctx[k] = String(v)
  }
  set('scope', list.scope === 'mine' ? null : list.scope)
  set('label', list.label)
  set('sort', f.sort)
  set('taken_from', f.taken_from)
  set('taken_to', f.taken_to)
  set('country', f.country)
  set('city', f.city)
  set('camera', f.camera)
  set('album', f.album)
  set('favorite', f.favorite)
  return ctx
}

/** The query of GET /api/v1/images/{id}/neighbors for a viewer context; null for a search. */
export function neighborsFilter(ctx: ListContext): ImageFilter | null {
  if (ctx.q) return null
  const scope = ctx.scope === 'public' || ctx.scope === 'all' ? ctx.scope : null
  return {
    scope,
    label: ctx.label ?? null,
    sort: ctx.sort === 'uploaded' ? 'uploaded' : null,
    taken_from: ctx.taken_from ?? null,
    taken_to: ctx.taken_to ?? null,
    country: ctx.country ?? null,
    city: ctx.city ?? null,
    camera: ctx.camera ?? null,
    album: ctx.album ?? null,
    favorite: ctx.favorite === 'true' ? true : null,
  }
}

/** True when the remembered list is the one this context describes (so its order may be used). */
export function navListMatches(list: NavList | null, ctx: ListContext, id: string): boolean {
  if (!list || !list.ids.includes(id)) return false
  const a = contextFromNavList(list, id)
  const keys = new Set([...Object.keys(a), ...Object.keys(ctx)]) as Set<keyof ListContext>
  for (const k of keys) if ((a[k] ?? '') !== (ctx[k] ?? '')) return false
  return true
}
