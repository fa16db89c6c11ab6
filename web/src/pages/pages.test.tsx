import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter } from 'react-router'
import App from '../App'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory, saveNavList } from '../lib/nav'
import { FakeXHR } from '../test/fakeXhr'
import { json, makeImage, routeFetch } from '../test/fixtures'
import { describeAgent } from './AccountPage'
import { findCategory } from './GalleryPage'

const me = { id: 'u1', username: 'ada', is_admin: true, disabled: false, created_at: '2026-01-01T00:00:00Z' }
const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' } }

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <App />
    </MemoryRouter>,
  )
}

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('gallery', () => {
  it('shows the caller\'s own library by default, with tabs to the public images and (admins) all users', async () => {
    const calls: string[] = []
    const member = { ...me, id: 'u2', username: 'bob', is_admin: false }
    for (const [who, user] of [['member', member], ['admin', me]] as const) {
      calls.length = 0
      clearGalleries()
      vi.stubGlobal(
        'fetch',
        vi.fn(
          routeFetch([
            [/GET \/api\/v1\/info/, () => json(200, info)],
            [/GET \/api\/v1\/me/, () => json(200, user)],
            [/GET \/api\/v1\/images\?/, (url) => {
              calls.push(url)
              const other = makeImage('z', { owner: { id: 'u9', username: 'carol' }, visibility: 'public' })
              return json(200, { items: url.includes('scope=public') ? [other] : [makeImage('a', { owner: { id: user.id, username: user.username } })], next_cursor: null })
            }],
          ]),
        ),
      )
      const view = renderAt('/')
      expect(await screen.findByTestId('gallery-title')).toHaveProperty('textContent', 'Your library')
      const tabs = await screen.findByTestId('scope-tabs')
      const names = within(tabs).getAllByRole('link').map((l) => l.textContent)
      expect(names, who).toEqual(user.is_admin ? ['Your library', 'Public', 'All users'] : ['Your library', 'Public'])
      expect(calls[0]).toBe('/api/v1/images?limit=40')
      expect(screen.queryByTestId('owner-badge')).toBeNull()
      fireEvent.click(within(tabs).getByRole('link', { name: 'Public' }))
      await waitFor(() => expect(screen.getByTestId('gallery-title').textContent).toBe('Public images'))
      await waitFor(() => expect(calls).toContain('/api/v1/images?limit=40&scope=public'))
      expect((await screen.findByTestId('owner-badge')).textContent).toBe('carol')
      view.unmount()
    }
  })

  it('renders the first page without waiting for /info or /me, then loads more by cursor', async () => {
    const never = new Promise<Response>(() => {})
    const calls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => never],
          [/GET \/api\/v1\/me/, () => never],
          [
            /GET \/api\/v1\/images\?/,
            (url) => {
              calls.push(url)
              return url.includes('cursor=c2')
                ? json(200, { items: [makeImage('c'), makeImage('b')], next_cursor: null })
                : json(200, { items: [makeImage('a'), makeImage('b')], next_cursor: 'c2' })
            },
          ],
        ]),
      ),
    )
    renderAt('/')
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(2))
    expect(calls[0]).toBe('/api/v1/images?limit=40')
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(3))
    expect(calls[1]).toBe('/api/v1/images?limit=40&cursor=c2')
    expect(screen.getAllByTestId('gallery-item').map((e) => e.dataset.imageId)).toEqual(['a', 'b', 'c'])
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
    // thumbnails are lazy except the first few, and have alt text from labels
    const img = screen.getAllByRole('img', { name: /tabby/ })[0] as HTMLImageElement
    expect(img.getAttribute('src')).toBe('/api/v1/images/a/thumbnail')
    expect(screen.getAllByTestId('label-chip')[0].dataset.labelId).toBe('L-a')
  })

  it('shows a pending badge that turns into labels without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    let ready = false
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('p', { status: 'pending', labels: [] })], next_cursor: null })],
          [/GET \/api\/v1\/images\/p$/, () => json(200, ready ? makeImage('p') : makeImage('p', { status: 'pending', labels: [] }))],
        ]),
      ),
    )
    renderAt('/')
    const badge = await screen.findByTestId('status-badge')
    expect(badge.textContent).toMatch(/Labeling/)
    ready = true
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3000)
    })
    await waitFor(() => expect(screen.queryByTestId('status-badge')).toBeNull())
    expect(screen.getByTestId('label-chip').textContent).toBe('tabby')
  })

  it('filters by label and shows the label name', async () => {
    const urls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/images\?/, (u) => (urls.push(u), json(200, { items: [makeImage('a')], next_cursor: null }))],
        ]),
      ),
    )
    renderAt('/?label=L-a')
    await waitFor(() => expect(screen.getByTestId('gallery-title').textContent).toBe('tabby'))
    expect(urls[0]).toBe('/api/v1/images?limit=40&label=L-a')
  })

  it('shows an error with a retry', async () => {
    let fail = true
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(401, { error: { code: 'unauthorized', message: 'sign in' } })],
          [/GET \/api\/v1\/images\?/, () => (fail ? json(503, { error: { code: 'unavailable', message: 'database is down' } }) : json(200, { items: [makeImage('a')], next_cursor: null }))],
        ]),
      ),
    )
    renderAt('/')
    expect((await screen.findByRole('alert')).textContent).toContain('database is down')
    fail = false
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(1))
    expect(screen.getByTestId('gallery-title').textContent).toBe('Public images')
  })
})

describe('upload page', () => {
  beforeEach(() => {
    FakeXHR.reset()
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/images\/new1$/, () => json(200, makeImage('new1'))],
        ]),
      ),
    )
  })

  it('uploads at most 3 at a time and shows each result', async () => {
    renderAt('/upload')
    const input = (await screen.findByTestId('file-input')) as HTMLInputElement
    const files = ['a', 'b', 'c', 'd', 'e'].map((n) => new File([n.repeat(10)], `${n}.jpg`, { type: 'image/jpeg' }))
    fireEvent.change(input, { target: { files } })
    await waitFor(() => expect(screen.getAllByTestId('upload-item')).toHaveLength(5))
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(3))
    const [x0, x1, x2] = FakeXHR.instances
    expect(x0.headers['X-Banana-CSRF']).toBe('1')
    expect((x0.body!.get('file') as File).name).toBe('a.jpg')
    expect(x0.body!.get('visibility')).toBe('private')

    act(() => x0.progress(50, 100))
    const row0 = screen.getAllByTestId('upload-item')[0]
    expect((within(row0).getByRole('progressbar') as HTMLProgressElement).value).toBe(50)

    act(() => x0.respond(201, makeImage('new1', { status: 'pending', labels: [] })))
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(4))
    act(() => x1.respond(409, { error: { code: 'duplicate', message: 'already uploaded', image_id: 'old7' } }))
    act(() => x2.respond(422, { error: { code: 'undecodable', message: 'the file is not a valid JPEG' } }))
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(5))
    act(() => FakeXHR.instances[3].respond(201, makeImage('n4')))
    act(() => FakeXHR.instances[4].respond(413, { error: { code: 'too_large', message: 'over 50 MiB' } }))

    await waitFor(() => expect(screen.getByTestId('upload-summary').textContent).toContain('5 of 5 finished'))
    const rows = screen.getAllByTestId('upload-item')
    expect(rows.map((r) => r.dataset.state)).toEqual(['done', 'duplicate', 'rejected', 'done', 'rejected'])
    expect(within(rows[0]).getByTestId('upload-result').getAttribute('href')).toBe('/images/new1')
    expect(within(rows[1]).getByTestId('upload-result').getAttribute('href')).toBe('/images/old7')
    // Plain words, not the decoder's.
    expect(within(rows[2]).getByTestId('upload-result').textContent).toBe(
      'This file isn’t a photo Banana can read (it may be damaged or in an unsupported format).',
    )
    expect(within(rows[4]).getByTestId('upload-result').textContent).toBe('Too large for this server.')
  })

  it('sends the chosen visibility and title', async () => {
    renderAt('/upload')
    await screen.findByTestId('file-input')
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Holiday' } })
    fireEvent.click(screen.getByTestId('upload-public'))
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['x'], 'x.png', { type: 'image/png' })] } })
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(1))
    expect(FakeXHR.instances[0].body!.get('visibility')).toBe('public')
    expect(FakeXHR.instances[0].body!.get('title')).toBe('Holiday')
  })
})

describe('search page', () => {
  it('shows ranked results with what matched', async () => {
    const urls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [
            /GET \/api\/v1\/search/,
            (u) => (
              urls.push(u),
              json(200, {
                items: [
                  { image: makeImage('s1'), score: 0.9, matched: ['tabby, tabby cat'] },
                  { image: makeImage('s2'), score: 0.5, matched: ['title'] },
                ],
                next_cursor: null,
              })
            ),
          ],
        ]),
      ),
    )
    renderAt('/search?q=a%20pet%20cat')
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(2))
    expect(urls[0]).toBe('/api/v1/search?q=a+pet+cat&limit=30')
    expect(screen.getAllByTestId('search-result').map((e) => e.dataset.imageId)).toEqual(['s1', 's2'])
    expect(screen.getAllByTestId('matched').map((e) => e.textContent)).toEqual(['Matched: tabby', 'Matched: title'])
    expect((screen.getByTestId('search-input') as HTMLInputElement).value).toBe('a pet cat')
  })

  it('has an empty state and an error state', async () => {
    let mode: 'empty' | 'error' = 'empty'
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/search/, () => (mode === 'empty' ? json(200, { items: [], next_cursor: null }) : json(500, { error: { code: 'internal', message: 'search index unavailable' } }))],
        ]),
      ),
    )
    const { unmount } = renderAt('/search?q=unicorn')
    expect(await screen.findByTestId('search-empty')).toBeTruthy()
    unmount()
    mode = 'error'
    renderAt('/search?q=unicorn')
    expect((await screen.findByTestId('search-error')).textContent).toContain('search index unavailable')
  })

  it('a new query shows only its own hits, once they come', async () => {
    let release: (() => void) | null = null
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/search\?q=cat/, () => json(200, { items: [{ image: makeImage('c1'), score: 0.9, matched: ['title'] }], next_cursor: null })],
          [
            /GET \/api\/v1\/search\?q=dog/,
            () =>
              new Promise<Response>((resolve) => {
                release = () => resolve(json(200, { items: [{ image: makeImage('d1'), score: 0.8, matched: ['title'] }], next_cursor: null }))
              }),
          ],
        ]),
      ),
    )
    renderAt('/search?q=cat')
    await waitFor(() => expect(screen.getAllByTestId('search-result').map((e) => e.dataset.imageId)).toEqual(['c1']))
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: 'dog' } })
    fireEvent.submit(screen.getByRole('search'))
    await waitFor(() => expect(screen.getByTestId('search-title').textContent).toBe('“dog”'))
    expect(screen.queryAllByTestId('search-result')).toHaveLength(0)
    await waitFor(() => expect(release).not.toBeNull())
    release!()
    await waitFor(() => expect(screen.getAllByTestId('search-result').map((e) => e.dataset.imageId)).toEqual(['d1']))
  })

  it('the header search box navigates to the search page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [], next_cursor: null })],
          [/GET \/api\/v1\/search/, () => json(200, { items: [], next_cursor: null })],
        ]),
      ),
    )
    renderAt('/labels')
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: 'coffee mug' } })
    fireEvent.submit(screen.getByRole('search'))
    expect(await screen.findByTestId('search-title')).toHaveProperty('textContent', '“coffee mug”')
  })
})

describe('labels page', () => {
  it('shows the label tree with counts, each category linking to its images', async () => {
    const pug = { id: 'n02110958', name: 'pug, pug-dog', wnid: 'n02110958', count: 2 }
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [
            /GET \/api\/v1\/labels/,
            () =>
              json(200, {
                items: [pug, { id: 'dog', name: 'dog', wnid: '', count: 1 }],
                categories: [
                  {
                    id: 'animal',
                    name: 'animal',
                    count: 3,
                    labels: [],
                    children: [{ id: 'dog', name: 'dog', count: 3, children: [], labels: [pug] }],
                  },
                ],
              }),
          ],
        ]),
      ),
    )
    renderAt('/labels')
    const tree = await screen.findByTestId('label-tree')
    const links = within(tree).getAllByTestId('label-category')
    expect(links.map((l) => l.getAttribute('data-category'))).toEqual(['animal', 'dog'])
    expect(links[1].getAttribute('href')).toBe('/?label=dog')
    expect(links[1].textContent).toContain('3')
    const breed = within(tree).getByTestId('tree-label')
    expect(breed.textContent).toContain('pug')
    expect(breed.getAttribute('href')).toBe('/?label=n02110958')
    // The flat list is still there, below.
    expect(screen.getAllByTestId('label-link')).toHaveLength(2)
  })

  it('names a category filter from the tree (no image has the category itself attached)', () => {
    const tree = [{ id: 'animal', name: 'animal', count: 3, labels: [], children: [{ id: 'dog', name: 'dog', count: 3, children: [], labels: [] }] }]
    expect(findCategory(tree, 'dog')?.name).toBe('dog')
    expect(findCategory(tree, 'car')).toBeUndefined()
  })
})

describe('image page', () => {
  function stubImageApi(patches: unknown[], listedShares: unknown[] = []) {
    let img = makeImage('b', { title: 'Bee' })
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/images\/b\/similar/, () => json(200, { items: [{ image: makeImage('c'), score: 0.7, matched: [] }] })],
          [/GET \/api\/v1\/images\/b\/shares/, () => json(200, { items: listedShares })],
          [/POST \/api\/v1\/images\/b\/shares/, (_u, init) => json(201, { id: 'sh1', token: 'tok123456789', url: '/s/tok123456789', expires_at: '2099-01-01T00:00:00Z', created_at: '2026-01-01T00:00:00Z', _body: init.body })],
          [/PATCH \/api\/v1\/images\/b$/, (_u, init) => {
            const body = JSON.parse(init.body as string)
            patches.push({ body, csrf: (init.headers as Record<string, string>)['X-Banana-CSRF'] })
            img = { ...img, ...body }
            return json(200, img)
          }],
          [/DELETE \/api\/v1\/images\/b$/, () => json(204, null)],
          [/GET \/api\/v1\/images\/(\w)$/, (u) => json(200, u.endsWith('/b') ? img : makeImage(u.slice(-1)))],
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [], next_cursor: null })],
        ]),
      ),
    )
  }

  it('steps to neighbours with the arrow keys', async () => {
    stubImageApi([])
    saveNavList({ source: '/', ids: ['a', 'b', 'c'], nextCursor: null, label: null })
    renderAt('/images/b')
    expect(await screen.findByTestId('image-title')).toHaveProperty('textContent', 'Bee')
    fireEvent.keyDown(window, { key: 'ArrowRight' })
    await waitFor(() => expect(screen.getByTestId('image-page').dataset.imageId).toBe('c'))
    fireEvent.keyDown(window, { key: 'ArrowLeft' })
    await waitFor(() => expect(screen.getByTestId('image-page').dataset.imageId).toBe('b'))
    fireEvent.keyDown(window, { key: 'ArrowLeft' })
    await waitFor(() => expect(screen.getByTestId('image-page').dataset.imageId).toBe('a'))
  })

  it('toggles visibility with a PATCH carrying the CSRF header, and creates a share link', async () => {
    const patches: Array<{ body: unknown; csrf: string }> = []
    stubImageApi(patches)
    renderAt('/images/b')
    const toggle = await screen.findByRole('switch', { name: 'Public' })
    expect(toggle.getAttribute('aria-checked')).toBe('false')
    fireEvent.click(toggle)
    await waitFor(() => expect(screen.getByRole('switch', { name: 'Public' }).getAttribute('aria-checked')).toBe('true'))
    expect(patches).toEqual([{ body: { visibility: 'public' }, csrf: '1' }])

    fireEvent.click(screen.getByTestId('create-share'))
    const url = (await screen.findByTestId('share-url')) as HTMLInputElement
    expect(url.value).toBe(`${window.location.origin}/s/tok123456789`)
    expect(screen.getAllByTestId('share-item')).toHaveLength(1)
    expect(await screen.findByTestId('similar-item')).toHaveProperty('href', `${window.location.origin}/images/c`)
  })

  it('lists links made earlier as the server sends them: without token or URL', async () => {
    // GET /shares never returns a link's token (the server keeps only its hash).
    stubImageApi([], [{ id: 'sh-earlier-0001', created_at: '2026-01-01T00:00:00Z', expires_at: '2099-01-01T00:00:00Z' }])
    renderAt('/images/b')
    const item = await screen.findByTestId('share-item')
    expect(item.textContent).toContain('made ')
    expect(item.querySelector('a')).toBeNull()
    expect(screen.getByTestId('revoke-share').textContent).toContain('link ier-0001')
  })

  it('moves the image to the trash without asking, and Undo brings it back', async () => {
    stubImageApi([])
    const route = vi.mocked(fetch).getMockImplementation()!
    const restored: unknown[] = []
    vi.mocked(fetch).mockImplementation((input, init = {}) =>
      `${init.method} ${input}` === 'POST /api/v1/trash/restore'
        ? (restored.push(JSON.parse(init.body as string)), Promise.resolve(json(200, { restored: 1 })))
        : route(input, init),
    )
    saveNavList({ source: '/', ids: ['a', 'b', 'c'], nextCursor: null, label: null })
    renderAt('/images/b')
    const trash = await screen.findByTestId('trash-image')
    expect(trash.textContent).toBe('Move to trash')
    fireEvent.click(trash)
    // back to the list it came from, with a toast that offers Undo
    await waitFor(() => expect(screen.getByTestId('gallery-title')).toBeTruthy())
    expect(vi.mocked(fetch).mock.calls.filter((c) => (c[1] as RequestInit | undefined)?.method === 'DELETE').map((c) => c[0])).toEqual(['/api/v1/images/b'])
    expect(screen.getByTestId('toast-text').textContent).toBe('Moved to trash · “Bee”')
    fireEvent.click(screen.getByTestId('toast-action'))
    await waitFor(() => expect(screen.getByTestId('image-title').textContent).toBe('Bee'))
    expect(restored).toEqual([{ image_ids: ['b'] }])
    expect(screen.queryByTestId('toast')).toBeNull()
  })
})

describe('account', () => {
  it('shows register only when the server allows it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, { ...info, needs_setup: true })],
          [/GET \/api\/v1\/me/, () => json(401, { error: { code: 'unauthorized', message: 'x' } })],
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [], next_cursor: null })],
        ]),
      ),
    )
    renderAt('/register')
    expect(await screen.findByRole('heading', { name: 'Set up Banana' })).toBeTruthy()
    expect(await screen.findByTestId('nav-register')).toBeTruthy()
  })

  it('signs in and shows the user; a bad password shows the server message', async () => {
    let good = false
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => (good ? json(200, me) : json(401, { error: { code: 'unauthorized', message: 'x' } }))],
          [/POST \/api\/v1\/auth\/login/, (_u, init) => {
            const b = JSON.parse(init.body as string)
            if (b.password !== 'correct horse') return json(401, { error: { code: 'invalid_credentials', message: 'Wrong username or password.' } })
            good = true
            return json(200, { token: 't', user: me })
          }],
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [], next_cursor: null })],
        ]),
      ),
    )
    renderAt('/login')
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'ada' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } })
    fireEvent.click(screen.getByTestId('login-submit'))
    expect((await screen.findByTestId('login-error')).textContent).toBe('Wrong username or password.')
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } })
    fireEvent.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('nav-account')).toHaveProperty('textContent', 'Aada')
    await waitFor(() => expect(screen.getByTestId('gallery-title').textContent).toBe('Your library'))
  })

  it('shows a new API token once and lists it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/tokens/, () => json(200, { items: [] })],
          [/POST \/api\/v1\/tokens/, (_u, init) => {
            expect(JSON.parse(init.body as string)).toEqual({ name: 'script', expires_in: 30 * 86400 })
            return json(201, { id: 't1', name: 'script', token: 'bnn_secret', created_at: '2026-01-01T00:00:00Z', expires_at: '2026-02-01T00:00:00Z' })
          }],
        ]),
      ),
    )
    renderAt('/account/tokens')
    fireEvent.change(await screen.findByTestId('token-name'), { target: { value: 'script' } })
    fireEvent.change(screen.getByTestId('token-expiry'), { target: { value: String(30 * 86400) } })
    fireEvent.click(screen.getByTestId('create-token'))
    expect(((await screen.findByTestId('new-token-value')) as HTMLInputElement).value).toBe('bnn_secret')
    expect(screen.getAllByTestId('token-row')).toHaveLength(1)
  })
})

describe('account lifecycle', () => {
  const sessions = [
    { id: 's1', created_at: '2026-11-30T10:00:00Z', last_used_at: null, expires_at: null, client_ip: '203.0.113.9', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', current: true },
    { id: 's2', created_at: '2026-11-29T10:00:00Z', last_used_at: '2026-11-30T09:00:00Z', expires_at: null, client_ip: '198.51.100.4', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1', current: false },
  ]

  it('describes user agents briefly', () => {
    expect(describeAgent(sessions[0].user_agent)).toBe('Firefox on Linux')
    expect(describeAgent(sessions[1].user_agent)).toBe('Safari on iOS')
    expect(describeAgent(null)).toBe('Unknown browser')
    expect(describeAgent('x'.repeat(80))).toHaveLength(58)
  })

  it('changes the password and shows the server refusal', async () => {
    const bodies: unknown[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me\/sessions/, () => json(200, { items: sessions })],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/POST \/api\/v1\/me\/password/, (_u, init) => {
            const b = JSON.parse(init.body as string)
            bodies.push(b)
            if (b.current_password !== 'old password') return json(403, { error: { code: 'forbidden', message: 'the current password is not right' } })
            return json(204, null)
          }],
        ]),
      ),
    )
    renderAt('/account')
    fireEvent.change(await screen.findByTestId('pw-current'), { target: { value: 'wrong one' } })
    fireEvent.change(screen.getByTestId('pw-new'), { target: { value: 'a new password' } })
    fireEvent.change(screen.getByTestId('pw-confirm'), { target: { value: 'a different one' } })
    fireEvent.click(screen.getByTestId('pw-submit'))
    expect((await screen.findByTestId('pw-error')).textContent).toBe('The new passwords do not match.')
    expect(bodies).toHaveLength(0)
    fireEvent.change(screen.getByTestId('pw-confirm'), { target: { value: 'a new password' } })
    fireEvent.click(screen.getByTestId('pw-submit'))
    await waitFor(() => expect(screen.getByTestId('pw-error').textContent).toMatch(/current password is not right/i))
    fireEvent.change(screen.getByTestId('pw-current'), { target: { value: 'old password' } })
    fireEvent.click(screen.getByTestId('pw-revoke-tokens'))
    fireEvent.click(screen.getByTestId('pw-submit'))
    expect((await screen.findByTestId('pw-notice')).textContent).toMatch(/API tokens were ended/)
    expect(bodies[1]).toEqual({ current_password: 'old password', new_password: 'a new password', revoke_tokens: true })
    expect((screen.getByTestId('pw-current') as HTMLInputElement).value).toBe('')
  })

  it('lists sessions and signs out another one, never the current one', async () => {
    const deleted: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me\/sessions/, () => json(200, { items: sessions })],
          [/DELETE \/api\/v1\/me\/sessions\//, (u) => {
            deleted.push(u.split('/').pop()!)
            return json(204, null)
          }],
          [/GET \/api\/v1\/me/, () => json(200, me)],
        ]),
      ),
    )
    renderAt('/account')
    const rows = await screen.findAllByTestId('session-row')
    expect(rows).toHaveLength(2)
    expect(within(rows[0]).getByText('This browser')).toBeTruthy()
    expect(within(rows[0]).queryByTestId('end-session')).toBeNull()
    expect(within(rows[1]).getAllByText('Safari on iOS')).toHaveLength(2)
    expect(within(rows[1]).getByText('198.51.100.4')).toBeTruthy()
    fireEvent.click(within(rows[1]).getByTestId('end-session'))
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(1))
    expect(deleted).toEqual(['s2'])
  })

  it('lets an admin reset a password and make or remove an admin', async () => {
    const patches: Array<[string, unknown]> = []
    const other = {
      id: 'u2',
      username: 'bob',
      is_admin: false,
      disabled: false,
      created_at: '2026-01-02T00:00:00Z',
      usage: { images: 3, bytes: 3 * 1024 * 1024, quota_bytes: null },
    }
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/admin\/users/, () => json(200, { items: [me, other] })],
          [/PATCH \/api\/v1\/admin\/users\/u2/, (_u, init) => {
            const b = JSON.parse(init.body as string)
            patches.push(['u2', b])
            return json(200, { ...other, ...(b.is_admin !== undefined ? { is_admin: b.is_admin } : {}) })
          }],
        ]),
      ),
    )
    renderAt('/admin/users')
    const rows = await screen.findAllByTestId('user-row')
    expect(within(rows[0]).queryByTestId('reset-password')).toBeNull()
    expect(within(rows[1]).getByTestId('user-usage').textContent).toMatch(/^3 photos · 3(\.0)? MB/)
    fireEvent.click(within(rows[1]).getByTestId('toggle-admin'))
    await waitFor(() => expect(within(screen.getAllByTestId('user-row')[1]).getByTestId('toggle-admin').textContent).toMatch(/^Remove admin/))
    expect(patches[0]).toEqual(['u2', { is_admin: true }])

    fireEvent.click(within(screen.getAllByTestId('user-row')[1]).getByTestId('reset-password'))
    fireEvent.change(await screen.findByTestId('reset-password-input'), { target: { value: 'short' } })
    fireEvent.click(screen.getByTestId('confirm-button'))
    expect((await screen.findByTestId('reset-error')).textContent).toMatch(/at least/)
    expect(patches).toHaveLength(1)
    fireEvent.change(screen.getByTestId('reset-password-input'), { target: { value: 'a fresh password' } })
    fireEvent.click(screen.getByTestId('confirm-button'))
    expect((await screen.findByRole('status')).textContent).toMatch(/New password set for bob/)
    expect(patches[1]).toEqual(['u2', { password: 'a fresh password' }])
    expect(screen.queryByTestId('reset-password-input')).toBeNull()
  })
})
