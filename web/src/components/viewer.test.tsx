import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter } from 'react-router'
import App from '../App'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory, saveNavList } from '../lib/nav'
import { json, makeImage, routeFetch } from '../test/fixtures'

const me = { id: 'u1', username: 'ada', is_admin: false, disabled: false, created_at: '2026-01-01T00:00:00Z' }
const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' }, limits: { max_upload_bytes: 1, max_pixels: 1 } }
const images = {
  a: makeImage('a', { title: 'Alpha', width: 4000, height: 3000 }),
  b: makeImage('b', { title: 'Bravo', width: 4000, height: 3000 }),
  c: makeImage('c', { title: 'Charlie', width: 4000, height: 3000, content_type: 'image/heic' }),
}

/** jsdom lays nothing out: give the stage a size. */
function stageSize() {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000)
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(800)
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 0, top: 0, width: 1000, height: 800, right: 1000, bottom: 800, x: 0, y: 0, toJSON: () => ({}) })
}

/** Images the viewer preloads (jsdom loads none): which URLs, and they "load" at once. */
let loadedSrcs: string[] = []
class FakeImage {
  onload: (() => void) | null = null
  set src(v: string) {
    loadedSrcs.push(v)
    setTimeout(() => this.onload?.(), 0)
  }
}

function serve(neighbors: 'server' | 'missing') {
  const calls: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(
      routeFetch([
        [/GET \/api\/v1\/info/, () => json(200, info)],
        [/GET \/api\/v1\/me/, () => json(200, me)],
        [/GET \/api\/v1\/images\/\w+\/neighbors/, (url) => {
          calls.push(url)
          if (neighbors === 'missing') return json(404, { error: { code: 'not_found', message: 'no route' } })
          const id = url.split('/')[4] as keyof typeof images
          const order = ['a', 'b', 'c'] as const
          const i = order.indexOf(id)
          return json(200, { previous: i > 0 ? images[order[i - 1]] : null, next: i < 2 ? images[order[i + 1]] : null })
        }],
        [/GET \/api\/v1\/images\/(a|b|c)$/, (url) => json(200, images[url.split('/').pop() as keyof typeof images])],
        [/GET \/api\/v1\/images\/\w+\/(similar|shares)/, () => json(200, { items: [] })],
      ]),
    ),
  )
  return calls
}

const viewerId = () => screen.getByTestId('viewer').dataset.imageId
const key = (k: string) => act(() => void fireEvent.keyDown(window, { key: k }))

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
  loadedSrcs = []
  vi.stubGlobal('Image', FakeImage)
  stageSize()
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('full-screen viewer', () => {
  it('opens from a link, steps through the list in its URL with ←/→, and Escape leaves to the image page', async () => {
    const calls = serve('server')
    render(
      <MemoryRouter initialEntries={['/images/b?view=1&album=x']}>
        <App />
      </MemoryRouter>,
    )
    const img = await screen.findByTestId('viewer-image')
    expect(img.getAttribute('src')).toBe('/api/v1/images/b/preview')
    expect(screen.getByRole('dialog', { name: 'Photo viewer: Bravo' })).toBeTruthy()
    await waitFor(() => expect((screen.getByTestId('viewer-next') as HTMLButtonElement).disabled).toBe(false))
    expect(calls[0]).toBe('/api/v1/images/b/neighbors?album=x')
    key('ArrowRight')
    await waitFor(() => expect(viewerId()).toBe('c'))
    expect(calls.at(-1)).toBe('/api/v1/images/c/neighbors?album=x')
    await waitFor(() => expect((screen.getByTestId('viewer-next') as HTMLButtonElement).disabled).toBe(true))
    key('ArrowLeft')
    await waitFor(() => expect(viewerId()).toBe('b'))
    // opened by a link: closing shows that photo's page
    key('Escape')
    expect((await screen.findByTestId('image-page')).dataset.imageId).toBe('b')
    expect(screen.queryByTestId('viewer')).toBeNull()
  })

  it('opens from the image page and Escape goes back there, also after stepping (the list remembered when the server has no /neighbors)', async () => {
    serve('missing')
    saveNavList({ source: '/albums/x', ids: ['a', 'b', 'c'], nextCursor: null, label: null, filter: { album: 'x' } })
    render(
      <MemoryRouter initialEntries={['/albums/x', '/images/a']} initialIndex={1}>
        <App />
      </MemoryRouter>,
    )
    fireEvent.click(await screen.findByTestId('open-viewer'))
    await screen.findByTestId('viewer')
    expect(viewerId()).toBe('a')
    expect((screen.getByTestId('viewer-prev') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByTestId('viewer-next'))
    await waitFor(() => expect(viewerId()).toBe('b'))
    key('ArrowRight')
    await waitFor(() => expect(viewerId()).toBe('c'))
    key('Escape')
    // back where it was opened: the first photo's page, one step back in history
    expect((await screen.findByTestId('image-page')).dataset.imageId).toBe('a')
  })

  it('zooms with the wheel around the cursor, loads the original, pans by dragging, and fits again on a double click', async () => {
    serve('server')
    render(
      <MemoryRouter initialEntries={['/images/b?view=1']}>
        <App />
      </MemoryRouter>,
    )
    const img = await screen.findByTestId('viewer-image')
    fireEvent.load(img)
    const stage = screen.getByTestId('viewer-stage')
    expect(stage.dataset.scale).toBe('1.000')
    // fitted: 1000 × 750 on the 1000 × 800 stage; 4000 px wide → 25%
    expect(screen.getByTestId('viewer-zoom-level').textContent).toBe('25%')
    act(() => void stage.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 800, clientY: 400, bubbles: true, cancelable: true })))
    const scale = Number(stage.dataset.scale)
    expect(scale).toBeGreaterThan(1.5)
    // the point under the cursor (300 px right of centre) stays put: x = 300 − scale × 300
    expect(Number(stage.dataset.x)).toBe(Math.round(300 - scale * 300))
    await waitFor(() => expect(img.getAttribute('src')).toBe('/api/v1/images/b/original'))
    expect(img.dataset.original).toBe('true')

    const x0 = Number(stage.dataset.x)
    fireEvent.pointerDown(stage, { pointerId: 1, clientX: 500, clientY: 400, button: 0, pointerType: 'mouse' })
    fireEvent.pointerMove(stage, { pointerId: 1, clientX: 560, clientY: 380, pointerType: 'mouse' })
    fireEvent.pointerUp(stage, { pointerId: 1, clientX: 560, clientY: 380, pointerType: 'mouse' })
    expect(Number(stage.dataset.x)).toBe(x0 + 60)

    for (let i = 0; i < 2; i++) {
      fireEvent.pointerDown(stage, { pointerId: 2, clientX: 500, clientY: 400, button: 0, pointerType: 'mouse' })
      fireEvent.pointerUp(stage, { pointerId: 2, clientX: 500, clientY: 400, pointerType: 'mouse' })
    }
    expect(stage.dataset.scale).toBe('1.000')
    expect(stage.dataset.x).toBe('0')
    // the keyboard zooms too
    key('+')
    expect(Number(stage.dataset.scale)).toBeCloseTo(1.5)
    key('0')
    expect(stage.dataset.scale).toBe('1.000')
  })

  it('keeps showing the preview of a HEIC when zoomed (the browser cannot show the original)', async () => {
    serve('server')
    render(
      <MemoryRouter initialEntries={['/images/c?view=1']}>
        <App />
      </MemoryRouter>,
    )
    const img = await screen.findByTestId('viewer-image')
    fireEvent.click(screen.getByTestId('viewer-zoom-in'))
    expect(Number(screen.getByTestId('viewer-stage').dataset.scale)).toBeGreaterThan(1)
    await new Promise((r) => setTimeout(r, 20))
    expect(loadedSrcs).not.toContain('/api/v1/images/c/original')
    expect(img.getAttribute('src')).toBe('/api/v1/images/c/preview')
  })

  it('a swipe at the fitted size steps to the next photo', async () => {
    serve('server')
    render(
      <MemoryRouter initialEntries={['/images/a?view=1']}>
        <App />
      </MemoryRouter>,
    )
    await screen.findByTestId('viewer-image')
    await waitFor(() => expect((screen.getByTestId('viewer-next') as HTMLButtonElement).disabled).toBe(false))
    const stage = screen.getByTestId('viewer-stage')
    fireEvent.pointerDown(stage, { pointerId: 5, clientX: 800, clientY: 400, button: 0, pointerType: 'touch' })
    fireEvent.pointerMove(stage, { pointerId: 5, clientX: 500, clientY: 410, pointerType: 'touch' })
    fireEvent.pointerUp(stage, { pointerId: 5, clientX: 450, clientY: 410, pointerType: 'touch' })
    await waitFor(() => expect(viewerId()).toBe('b'))
  })
})
