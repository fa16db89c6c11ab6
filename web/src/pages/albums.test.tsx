import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter } from 'react-router'
import App from '../App'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory, saveNavList } from '../lib/nav'
import { json, makeImage, routeFetch } from '../test/fixtures'
import type { Album } from '../api/types'

const me = { id: 'u1', username: 'ada', is_admin: false, disabled: false, created_at: '2026-01-01T00:00:00Z' }
const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' } }

function makeAlbum(id: string, over: Partial<Album> = {}): Album {
  return {
    id,
    name: `Album ${id}`,
    description: null,
    cover_image_id: null,
    image_count: 0,
    created_at: '2026-11-27T05:00:00Z',
    updated_at: '2026-11-27T05:00:00Z',
    owner: { id: 'u1', username: 'ada' },
    ...over,
  }
}

type Call = { method: string; url: string; body: unknown }
type Handler = (url: string, init: RequestInit) => Response | Promise<Response>

/** The session routes plus `routes`; every request is recorded in `calls`. */
function stub(routes: Array<[RegExp, Handler]>) {
  const calls: Call[] = []
  const route = routeFetch([
    [/GET \/api\/v1\/info/, () => json(200, info)],
    [/GET \/api\/v1\/me$/, () => json(200, me)],
    [/GET \/api\/v1\/images\/\w+\/similar/, () => json(200, { items: [] })],
    [/GET \/api\/v1\/images\/\w+\/shares/, () => json(200, { items: [] })],
    [/GET \/api\/v1\/timeline/, () => json(200, { buckets: [] })],
    ...routes,
  ])
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input)
      calls.push({ method: (init.method ?? 'GET').toUpperCase(), url, body: init.body ? JSON.parse(init.body as string) : undefined })
      return route(input, init)
    }),
  )
  return calls
}

const renderAt = (path: string) =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <App />
    </MemoryRouter>,
  )

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
})
afterEach(() => vi.unstubAllGlobals())

describe('favourites', () => {
  it('the heart on the image page turns on at once, and goes back when the server refuses', async () => {
    let release: (r: Response) => void = () => {}
    const calls = stub([
      [/PUT \/api\/v1\/images\/b\/favorite$/, () => new Promise<Response>((r) => (release = r))],
      [/DELETE \/api\/v1\/images\/b\/favorite$/, () => json(503, { error: { code: 'unavailable', message: 'database is down' } })],
      [/GET \/api\/v1\/images\/b$/, () => json(200, makeImage('b', { title: 'Bee' }))],
    ])
    renderAt('/images/b')
    const heart = await screen.findByRole('button', { name: 'Favourite' })
    expect(heart.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(heart)
    // optimistic: pressed before the server answers
    expect(heart.getAttribute('aria-pressed')).toBe('true')
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.url)).toEqual(['/api/v1/images/b/favorite'])
    // Let the answer arrive (the heart ignores clicks while a request is out).
    await act(async () => release(json(200, makeImage('b', { title: 'Bee', favorite: true }))))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Favourite' }).getAttribute('aria-pressed')).toBe('true'))

    // un-favouriting fails: back to pressed, with the reason
    fireEvent.click(screen.getByRole('button', { name: 'Favourite' }))
    expect(screen.getByRole('button', { name: 'Favourite' }).getAttribute('aria-pressed')).toBe('false')
    expect((await screen.findByTestId('favorite-error')).textContent).toContain('database is down')
    expect(screen.getByRole('button', { name: 'Favourite' }).getAttribute('aria-pressed')).toBe('true')
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/images/b/favorite')).toBe(true)
  })

  it('a gallery tile has a heart too, and a failed toggle rolls back', async () => {
    const calls = stub([
      [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('a'), makeImage('c', { favorite: true })], next_cursor: null })],
      [/PUT \/api\/v1\/images\/a\/favorite$/, () => json(200, makeImage('a', { favorite: true }))],
      [/DELETE \/api\/v1\/images\/c\/favorite$/, () => json(500, { error: { code: 'internal', message: 'boom' } })],
    ])
    renderAt('/')
    const hearts = await screen.findAllByTestId('tile-favorite')
    expect(hearts.map((h) => h.getAttribute('aria-pressed'))).toEqual(['false', 'true'])
    expect(hearts[0].getAttribute('aria-label')).toMatch(/^Favourite: /)
    fireEvent.click(hearts[0])
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.url === '/api/v1/images/a/favorite')).toBe(true))
    expect(hearts[0].getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(hearts[1])
    expect(hearts[1].getAttribute('aria-pressed')).toBe('false')
    await waitFor(() => expect(hearts[1].getAttribute('aria-pressed')).toBe('true'))
    expect(within(hearts[1]).getByRole('alert').textContent).toContain('boom')
  })

  it('the Favourites page lists GET /images?favorite=true, with an empty state', async () => {
    let items = [makeImage('f1', { favorite: true })]
    const calls = stub([[/GET \/api\/v1\/images\?/, () => json(200, { items, next_cursor: null })]])
    const view = renderAt('/favorites')
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(1))
    expect(calls.find((c) => c.url.startsWith('/api/v1/images?'))!.url).toBe('/api/v1/images?limit=40&favorite=true')
    expect(screen.getByTestId('nav-favorites').getAttribute('aria-current')).toBe('page')
    view.unmount()
    items = []
    renderAt('/favorites')
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No favourites yet')
  })
})

describe('albums page', () => {
  it('shows album cards with cover, name and count, and creates a new album', async () => {
    const calls = stub([
      [/GET \/api\/v1\/albums$/, () => json(200, { items: [makeAlbum('a1', { name: 'Italy', cover_image_id: 'img7', image_count: 3 }), makeAlbum('a2', { name: 'Cats', image_count: 1 })] })],
      [/POST \/api\/v1\/albums$/, (_u, init) => json(201, makeAlbum('a3', JSON.parse(init.body as string)))],
    ])
    renderAt('/albums')
    const cards = await screen.findAllByTestId('album-card')
    expect(cards.map((c) => within(c).getByTestId('album-name').textContent)).toEqual(['Italy', 'Cats'])
    expect(cards.map((c) => within(c).getByTestId('album-count').textContent)).toEqual(['3 photos', '1 photo'])
    expect(within(cards[0]).getByTestId('album-cover').getAttribute('src')).toBe('/api/v1/images/img7/thumbnail')
    expect(within(cards[1]).queryByTestId('album-cover')).toBeNull()
    expect(cards[0].getAttribute('href')).toBe('/albums/a1')
    expect(screen.getByTestId('nav-albums')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'New album' }))
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: '  Summer  ' } })
    fireEvent.change(screen.getByLabelText('Description (optional)'), { target: { value: 'By the sea' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create album' }))
    await waitFor(() => expect(screen.getAllByTestId('album-card')).toHaveLength(3))
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'Summer', description: 'By the sea' })
    expect(within(screen.getAllByTestId('album-card')[0]).getByTestId('album-name').textContent).toBe('Summer')
    expect(screen.queryByTestId('new-album-form')).toBeNull()
  })

  it('has an empty state, and does not send a nameless album', async () => {
    const calls = stub([[/GET \/api\/v1\/albums$/, () => json(200, { items: [] })]])
    renderAt('/albums')
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No albums yet')
    fireEvent.click(screen.getByTestId('new-album'))
    fireEvent.click(screen.getByTestId('create-album'))
    expect((await screen.findByRole('alert')).textContent).toContain('name')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
  })
})

describe('album view', () => {
  function stubAlbum() {
    let album = makeAlbum('a1', { name: 'Italy', description: 'Tuscany, 2008', image_count: 2, cover_image_id: 'p1' })
    return stub([
      [/GET \/api\/v1\/albums\/a1$/, () => json(200, album)],
      [/GET \/api\/v1\/albums\/nope$/, () => json(404, { error: { code: 'not_found', message: 'no such album' } })],
      [/PATCH \/api\/v1\/albums\/a1$/, (_u, init) => ((album = { ...album, ...JSON.parse(init.body as string) }), json(200, album))],
      [/DELETE \/api\/v1\/albums\/a1$/, () => json(204, null)],
      [/GET \/api\/v1\/albums$/, () => json(200, { items: [] })],
      [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('p1'), makeImage('p2')], next_cursor: null })],
    ])
  }

  it('shows the album and its photos, and edits the name and description', async () => {
    const calls = stubAlbum()
    renderAt('/albums/a1')
    expect((await screen.findByTestId('album-title')).textContent).toBe('Italy')
    expect(screen.getByTestId('album-description').textContent).toBe('Tuscany, 2008')
    expect(screen.getByTestId('album-photo-count').textContent).toBe('2 photos')
    await waitFor(() => expect(screen.getAllByTestId('gallery-item').map((t) => t.dataset.imageId)).toEqual(['p1', 'p2']))
    expect(calls.find((c) => c.url.startsWith('/api/v1/images?'))!.url).toBe('/api/v1/images?limit=40&album=a1')

    fireEvent.click(screen.getByTestId('edit-album'))
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Italia' } })
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: '' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.getByTestId('album-title').textContent).toBe('Italia'))
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ name: 'Italia', description: null })
    expect(screen.queryByTestId('album-description')).toBeNull()
  })

  it('asks before deleting, says the photos are kept, then goes to the albums', async () => {
    const calls = stubAlbum()
    renderAt('/albums/a1')
    fireEvent.click(await screen.findByTestId('delete-album'))
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the album “Italy”?' })
    expect(dialog.textContent).toContain('kept in your library')
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    fireEvent.click(screen.getByTestId('delete-album'))
    fireEvent.click(within(screen.getByRole('alertdialog')).getByTestId('confirm-button'))
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Albums'))
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/albums/a1'])
  })

  it('says when an album is not there', async () => {
    stubAlbum()
    renderAt('/albums/nope')
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Album not found')
  })
})

describe('add to album on the image page', () => {
  function stubImage(albums: Album[]) {
    return stub([
      [/GET \/api\/v1\/images\/b$/, () => json(200, makeImage('b', { title: 'Bee' }))],
      [/GET \/api\/v1\/albums$/, () => json(200, { items: albums })],
      [/POST \/api\/v1\/albums$/, (_u, init) => json(201, makeAlbum('new1', JSON.parse(init.body as string)))],
      [/POST \/api\/v1\/albums\/\w+\/images$/, () => json(200, { added: 1 })],
      [/DELETE \/api\/v1\/albums\/\w+\/images$/, () => json(200, { removed: 1 })],
    ])
  }

  it('adds to an existing album', async () => {
    const calls = stubImage([makeAlbum('a1', { name: 'Italy' }), makeAlbum('a2', { name: 'Cats' })])
    renderAt('/images/b')
    fireEvent.click(await screen.findByRole('button', { name: 'Add to album' }))
    const select = (await screen.findByLabelText('Album')) as HTMLSelectElement
    expect([...select.options].map((o) => o.textContent)).toEqual(['Italy', 'Cats', 'New album…'])
    fireEvent.change(select, { target: { value: 'a2' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add' }))
    const added = await screen.findByTestId('album-added')
    expect(added.textContent).toBe('Added to Cats.')
    expect(within(added).getByRole('link').getAttribute('href')).toBe('/albums/a2')
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ method: 'POST', url: '/api/v1/albums/a2/images', body: { image_ids: ['b'] } }])
  })

  it('creates an album inline (no albums yet: straight to the name), then adds the photo', async () => {
    const calls = stubImage([])
    renderAt('/images/b')
    fireEvent.click(await screen.findByTestId('add-to-album'))
    const name = await screen.findByLabelText('New album name')
    expect(screen.queryByTestId('album-select')).toBeNull()
    fireEvent.change(name, { target: { value: 'Bees' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create and add' }))
    expect((await screen.findByTestId('album-added')).textContent).toBe('Added to Bees.')
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.body])).toEqual([
      ['/api/v1/albums', { name: 'Bees' }],
      ['/api/v1/albums/new1/images', { image_ids: ['b'] }],
    ])
  })

  it('opened from an album, removes the photo from it', async () => {
    const calls = stubImage([])
    saveNavList({ source: '/albums/a1', ids: ['a', 'b'], nextCursor: null, label: null, filter: { album: 'a1' }, album: { id: 'a1', name: 'Italy' } })
    renderAt('/images/b')
    fireEvent.click(await screen.findByRole('button', { name: 'Remove from album' }))
    expect((await screen.findByTestId('album-removed')).textContent).toContain('Removed from “Italy”')
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', url: '/api/v1/albums/a1/images', body: { image_ids: ['b'] } }])
  })

  it('offers no removal when not opened from an album', async () => {
    stubImage([])
    saveNavList({ source: '/', ids: ['a', 'b'], nextCursor: null, label: null })
    renderAt('/images/b')
    await screen.findByTestId('add-to-album')
    expect(screen.queryByTestId('remove-from-album')).toBeNull()
  })
})
