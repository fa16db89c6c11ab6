import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory } from '../lib/nav'
import { json, makeImage } from '../test/fixtures'
import { bulkReply, makeAlbum, renderAt, stub } from '../test/stub'

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const IDS = ['a', 'b', 'c', 'd', 'e', 'f']
const tiles = () => screen.getAllByTestId('gallery-item')
const tile = (id: string) => tiles().find((t) => t.dataset.imageId === id)!
const selected = () => tiles().filter((t) => t.dataset.selected === 'true').map((t) => t.dataset.imageId)
const check = (id: string) => within(tile(id)).getByTestId('tile-select')
/**
 * Waits for `n` tiles with their checks (the session has loaded), and for React's effects of
 * that render (the selection's subscriptions), which a test's click could otherwise outrun.
 */
async function ready(n: number, testId = 'gallery-item') {
  await waitFor(() => expect(screen.getAllByTestId(testId)).toHaveLength(n))
  await screen.findAllByTestId('tile-select')
  await act(async () => {})
}
const bulkCalls = (calls: ReturnType<typeof stub>) => calls.filter((c) => c.method === 'POST' && c.url === '/api/v1/images/bulk')

function gallery(extra: Parameters<typeof stub>[0] = []) {
  return stub([...extra, [/GET \/api\/v1\/images\?/, () => json(200, { items: IDS.map((id) => makeImage(id)), next_cursor: null })]])
}

describe('selecting in the gallery', () => {
  it('a check on each tile; Shift-click selects a range in display order; select all; Escape clears', async () => {
    gallery([[/GET \/api\/v1\/images\/a$/, () => json(200, makeImage('a'))]])
    renderAt('/')
    await ready(6)
    expect(screen.queryByTestId('selection-bar')).toBeNull()
    expect(check('b').getAttribute('aria-checked')).toBe('false')

    fireEvent.click(check('b'))
    expect(selected()).toEqual(['b'])
    expect(screen.getByTestId('selection-count').textContent).toBe('1 selected')
    fireEvent.click(check('e'), { shiftKey: true })
    expect(selected()).toEqual(['b', 'c', 'd', 'e'])
    expect(check('d').getAttribute('aria-checked')).toBe('true')

    // while selecting, a click on the picture selects it instead of opening it
    fireEvent.click(within(tile('a')).getByRole('link'))
    expect(selected()).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(screen.getByTestId('gallery-title').textContent).toBe('Your library')
    fireEvent.click(within(tile('c')).getByRole('link'))
    expect(selected()).toEqual(['a', 'b', 'd', 'e'])

    fireEvent.click(screen.getByTestId('bulk-select-all'))
    expect(selected()).toEqual(IDS)
    expect(screen.getByTestId('selection-count').textContent).toBe('6 selected')
    expect(screen.queryByTestId('bulk-select-all')).toBeNull()

    fireEvent.keyDown(window, { key: 'Escape' })
    expect(selected()).toEqual([])
    expect(screen.queryByTestId('selection-bar')).toBeNull()
    // not selecting: the picture opens the image again
    fireEvent.click(within(tile('a')).getByRole('link'))
    expect(await screen.findByTestId('image-page')).toBeTruthy()
  })

  it('a long press with a finger starts selecting, and its click does not open the image', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    gallery()
    renderAt('/')
    await ready(6)
    const link = within(tile('c')).getByRole('link')
    fireEvent.pointerDown(tile('c'), { pointerType: 'touch', clientX: 50, clientY: 50 })
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500)
    })
    fireEvent.pointerUp(tile('c'), { pointerType: 'touch' })
    fireEvent.click(link)
    expect(selected()).toEqual(['c'])
    expect(screen.queryByTestId('image-page')).toBeNull()
    // then a tap selects another
    fireEvent.pointerDown(tile('e'), { pointerType: 'touch', clientX: 10, clientY: 10 })
    fireEvent.pointerUp(tile('e'), { pointerType: 'touch' })
    fireEvent.click(within(tile('e')).getByRole('link'))
    expect(selected()).toEqual(['c', 'e'])
    // a finger that moves (a scroll) selects nothing
    fireEvent.pointerDown(tile('a'), { pointerType: 'touch', clientX: 10, clientY: 10 })
    fireEvent.pointerMove(tile('a'), { pointerType: 'touch', clientX: 10, clientY: 80 })
    await act(async () => {
      await vi.advanceTimersByTimeAsync(600)
    })
    expect(selected()).toEqual(['c', 'e'])
    // a mouse held down is not a long press
    fireEvent.pointerDown(tile('f'), { pointerType: 'mouse', clientX: 10, clientY: 10 })
    await act(async () => {
      await vi.advanceTimersByTimeAsync(600)
    })
    expect(selected()).toEqual(['c', 'e'])
  })

  it('"Select" starts selecting without a check; Cancel ends it', async () => {
    gallery()
    renderAt('/')
    await ready(6)
    fireEvent.click(screen.getByTestId('select-start'))
    expect(screen.getByTestId('selection-count').textContent).toBe('Select photos')
    fireEvent.click(within(tile('d')).getByRole('link'))
    expect(selected()).toEqual(['d'])
    fireEvent.click(screen.getByTestId('select-cancel'))
    expect(selected()).toEqual([])
  })

  it('signed out, tiles have no checks', async () => {
    stub([[/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('a', { visibility: 'public' })], next_cursor: null })]], { signedOut: true })
    renderAt('/')
    await waitFor(() => expect(tiles()).toHaveLength(1))
    await screen.findByTestId('nav-sign-in')
    expect(screen.queryByTestId('tile-select')).toBeNull()
    expect(screen.queryByTestId('select-start')).toBeNull()
  })
})

describe('the action bar', () => {
  it('favourites through the bulk endpoint and reports "n done, m failed"; failures stay selected', async () => {
    const calls = gallery([[/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids, { c: 'You may not change this image.' })]])
    renderAt('/')
    await ready(6)
    fireEvent.click(check('a'))
    fireEvent.click(check('c'), { shiftKey: true })
    fireEvent.click(screen.getByTestId('bulk-favorite'))
    await waitFor(() => expect(screen.getByTestId('bulk-result-text').textContent).toBe('Added to favourites: 2 done, 1 failed'))
    expect(screen.getByTestId('bulk-result').textContent).toContain('You may not change this image.')
    expect(bulkCalls(calls)).toHaveLength(1)
    expect(bulkCalls(calls)[0].body).toEqual({ image_ids: ['a', 'b', 'c'], action: 'favorite' })
    expect(bulkCalls(calls)[0].headers['X-Banana-CSRF']).toBe('1')
    // the hearts follow without a reload; the failed one is still selected to try again
    expect(IDS.map((id) => within(tile(id)).getByTestId('tile-favorite').getAttribute('aria-pressed'))).toEqual(['true', 'true', 'false', 'false', 'false', 'false'])
    expect(selected()).toEqual(['c'])
    expect(calls.filter((c) => c.url.startsWith('/api/v1/images?'))).toHaveLength(1)
  })

  it('moves to trash: the tiles go at once, and Undo restores them in place', async () => {
    const calls = gallery([[/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)]])
    renderAt('/')
    await ready(6)
    fireEvent.click(check('b'))
    fireEvent.click(check('d'))
    fireEvent.click(screen.getByTestId('bulk-trash'))
    await waitFor(() => expect(tiles().map((t) => t.dataset.imageId)).toEqual(['a', 'c', 'e', 'f']))
    expect(screen.getByTestId('bulk-result-text').textContent).toBe('Moved to trash: 2 done')
    expect(screen.queryByTestId('selection-count')).toBeNull()
    fireEvent.click(screen.getByTestId('bulk-undo'))
    await waitFor(() => expect(tiles().map((t) => t.dataset.imageId)).toEqual(IDS))
    expect(bulkCalls(calls).map((c) => c.body)).toEqual([
      { image_ids: ['b', 'd'], action: 'trash' },
      { image_ids: ['b', 'd'], action: 'restore' },
    ])
    expect(screen.getByTestId('bulk-result-text').textContent).toBe('Restored: 2 done')
  })

  it('adds to a new album made from the bar', async () => {
    const calls = gallery([
      [/GET \/api\/v1\/albums$/, () => json(200, { items: [makeAlbum('al1', { name: 'Italy' })] })],
      [/POST \/api\/v1\/albums$/, (_u, init) => json(201, makeAlbum('al2', JSON.parse(init.body as string)))],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/')
    await ready(6)
    fireEvent.click(check('e'))
    fireEvent.click(check('f'))
    fireEvent.click(screen.getByTestId('bulk-add-to-album'))
    const select = (await screen.findByTestId('bulk-album-select')) as HTMLSelectElement
    expect([...select.options].map((o) => o.textContent)).toEqual(['Italy', 'New album…'])
    fireEvent.change(select, { target: { value: '__new__' } })
    fireEvent.change(screen.getByTestId('bulk-new-album-name'), { target: { value: ' Coast ' } })
    fireEvent.click(screen.getByTestId('bulk-album-submit'))
    const result = await screen.findByTestId('bulk-result-text')
    expect(result.textContent).toBe('Added to “Coast”: 2 done')
    expect(within(result).getByRole('link').getAttribute('href')).toBe('/albums/al2')
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.body])).toEqual([
      ['/api/v1/albums', { name: 'Coast' }],
      ['/api/v1/images/bulk', { image_ids: ['e', 'f'], action: 'add_to_album', album_id: 'al2' }],
    ])
  })

  it('sets visibility, and the tiles show it', async () => {
    const calls = gallery([[/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)]])
    renderAt('/')
    await ready(6)
    expect(tiles().some((t) => within(t).queryByText('Public'))).toBe(false)
    fireEvent.click(check('a'))
    fireEvent.click(screen.getByTestId('bulk-visibility'))
    fireEvent.click(screen.getByTestId('bulk-public'))
    await waitFor(() => expect(within(tile('a')).getByText('Public')).toBeTruthy())
    expect(bulkCalls(calls)[0].body).toEqual({ image_ids: ['a'], action: 'set_visibility', visibility: 'public' })
    expect(screen.getByTestId('bulk-result-text').textContent).toBe('Made public: 1 done')
  })

  it('downloads the selection as a ZIP through fetch and saves it', async () => {
    const created: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:zip'), revokeObjectURL: () => {} }))
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    const calls = gallery([
      [
        /POST \/api\/v1\/downloads$/,
        () => new Response(new Uint8Array([80, 75, 3, 4, 0, 0]), { status: 200, headers: { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="banana-photos.zip"' } }),
      ],
    ])
    renderAt('/')
    await ready(6)
    fireEvent.click(check('a'))
    fireEvent.click(check('b'))
    fireEvent.click(screen.getByTestId('bulk-download'))
    await waitFor(() => expect(screen.getByTestId('bulk-result-text').textContent).toMatch(/^Downloaded 2 photos as a ZIP/))
    const post = calls.find((c) => c.url === '/api/v1/downloads')!
    expect(post.body).toEqual({ image_ids: ['a', 'b'] })
    expect(post.headers['X-Banana-CSRF']).toBe('1')
    expect(clicks).toEqual(['banana-photos.zip'])
    expect(created[0].size).toBe(6)
    // still selected, for another action
    expect(selected()).toEqual(['a', 'b'])
    click.mockRestore()
  })

  it('in search results too, with Shift ranges over the ranked order', async () => {
    const calls = stub([
      [/GET \/api\/v1\/search/, () => json(200, { items: ['s3', 's1', 's2'].map((id) => ({ image: makeImage(id), score: 0.5, matched: [] })), next_cursor: null })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/search?q=cat')
    await ready(3, 'search-result')
    const res = () => screen.getAllByTestId('search-result')
    fireEvent.click(within(res()[0]).getByTestId('tile-select'))
    fireEvent.click(within(res()[1]).getByTestId('tile-select'), { shiftKey: true })
    fireEvent.click(screen.getByTestId('bulk-trash'))
    await waitFor(() => expect(res().map((t) => t.dataset.imageId)).toEqual(['s2']))
    expect(bulkCalls(calls)[0].body).toEqual({ image_ids: ['s3', 's1'], action: 'trash' })
  })
})

describe('selecting in favourites and an album', () => {
  it('unfavouriting in Favourites takes the photos out of the list', async () => {
    const calls = stub([
      [/GET \/api\/v1\/images\?/, () => json(200, { items: ['f1', 'f2'].map((id) => makeImage(id, { favorite: true })), next_cursor: null })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/favorites')
    await ready(2)
    fireEvent.click(check('f1'))
    fireEvent.click(screen.getByTestId('bulk-unfavorite'))
    await waitFor(() => expect(tiles().map((t) => t.dataset.imageId)).toEqual(['f2']))
    expect(bulkCalls(calls)[0].body).toEqual({ image_ids: ['f1'], action: 'unfavorite' })
  })

  it('in an album: remove from album updates the list and the count; Share album opens the links', async () => {
    const calls = stub([
      [/GET \/api\/v1\/albums\/al1$/, () => json(200, makeAlbum('al1', { name: 'Italy', image_count: 3 }))],
      [/GET \/api\/v1\/albums\/al1\/shares$/, () => json(200, { items: [] })],
      [/GET \/api\/v1\/images\?/, () => json(200, { items: ['p1', 'p2', 'p3'].map((id) => makeImage(id)), next_cursor: null })],
      [/POST \/api\/v1\/images\/bulk$/, (_u, init) => bulkReply(JSON.parse(init.body as string).image_ids)],
    ])
    renderAt('/albums/al1')
    await ready(3)
    fireEvent.click(check('p1'))
    fireEvent.click(check('p2'), { shiftKey: true })
    fireEvent.click(screen.getByTestId('bulk-remove-from-album'))
    await waitFor(() => expect(tiles().map((t) => t.dataset.imageId)).toEqual(['p3']))
    expect(bulkCalls(calls)[0].body).toEqual({ image_ids: ['p1', 'p2'], action: 'remove_from_album', album_id: 'al1' })
    expect(screen.getByTestId('album-photo-count').textContent).toBe('1 photo')
    expect(screen.getByTestId('bulk-result-text').textContent).toBe('Removed from the album: 2 done')

    fireEvent.click(check('p3'))
    fireEvent.click(screen.getByTestId('bulk-share-album'))
    expect(await screen.findByTestId('album-share-panel')).toBeTruthy()
  })
})
