import { describe, expect, it } from 'vitest'
import { contextFromNavList, contextFromParams, isViewerOpen, navListMatches, neighborsFilter, viewerHref } from './viewerUrl'
import type { NavList } from './nav'

const gallery: NavList = {
  source: '/?label=n1&sort=uploaded',
  ids: ['a', 'b', 'c'],
  nextCursor: null,
  label: 'n1',
  scope: 'mine',
  filter: { sort: 'uploaded', taken_from: null, taken_to: '2008-12-31', country: null, city: null, camera: null },
}

describe('viewer URLs', () => {
  it('carry the list the user came from, and open with view=1', () => {
    const ctx = contextFromNavList(gallery, 'b')
    expect(ctx).toEqual({ label: 'n1', sort: 'uploaded', taken_to: '2008-12-31' })
    const href = viewerHref('b', ctx)
    expect(href).toBe('/images/b?view=1&label=n1&sort=uploaded&taken_to=2008-12-31')
    const params = new URLSearchParams(href.split('?')[1])
    expect(isViewerOpen(params)).toBe(true)
    expect(contextFromParams(params)).toEqual(ctx)
  })
  it('albums, favourites, other scopes and searches', () => {
    expect(contextFromNavList({ source: '/albums/x', ids: ['a'], nextCursor: null, label: null, filter: { album: 'x' } }, 'a')).toEqual({ album: 'x' })
    expect(contextFromNavList({ source: '/favorites', ids: ['a'], nextCursor: null, label: null, filter: { favorite: true } }, 'a')).toEqual({ favorite: 'true' })
    expect(contextFromNavList({ ...gallery, scope: 'public', label: null, filter: {} }, 'a')).toEqual({ scope: 'public' })
    expect(contextFromNavList({ source: '/search?q=red%20car', ids: ['a'], nextCursor: null, label: null }, 'a')).toEqual({ q: 'red car' })
    // not in the list (a direct link, another list): nothing carried
    expect(contextFromNavList(gallery, 'zzz')).toEqual({})
    expect(contextFromNavList(null, 'a')).toEqual({})
  })
  it('asks the server for the neighbours with the listing’s own filters (not for a search)', () => {
    expect(neighborsFilter({ album: 'x', sort: 'uploaded', scope: 'mine' })).toMatchObject({ album: 'x', sort: 'uploaded', scope: null, label: null })
    expect(neighborsFilter({ favorite: 'true' })).toMatchObject({ favorite: true })
    expect(neighborsFilter({ q: 'cat' })).toBeNull()
  })
  it('uses the remembered order only for the same list', () => {
    expect(navListMatches(gallery, { label: 'n1', sort: 'uploaded', taken_to: '2008-12-31' }, 'a')).toBe(true)
    expect(navListMatches(gallery, { label: 'n1' }, 'a')).toBe(false)
    expect(navListMatches(gallery, { label: 'n1', sort: 'uploaded', taken_to: '2008-12-31' }, 'q')).toBe(false)
  })
})
