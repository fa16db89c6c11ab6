// The app shell: the header (menu, theme, uploads indicator), uploads that outlive the Upload
// page, drop-anywhere, and the first visit to a server without accounts.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter } from 'react-router'
import App from '../App'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory } from '../lib/nav'
import { THEME_KEY } from '../lib/theme'
import { FakeXHR } from '../test/fakeXhr'
import { json, makeImage, routeFetch } from '../test/fixtures'

const me = { id: 'u1', username: 'ada', is_admin: true, disabled: false, created_at: '2026-01-01T00:00:00Z' }
const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' }, limits: { max_upload_bytes: 52428800, max_pixels: 1e8 } }

function serve(over: { info?: object; me?: () => Response } = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      routeFetch([
        [/GET \/api\/v1\/info/, () => json(200, { ...info, ...over.info })],
        [/GET \/api\/v1\/me/, over.me ?? (() => json(200, me))],
        [/GET \/api\/v1\/images\?/, () => json(200, { items: [], next_cursor: null })],
        [/GET \/api\/v1\/timeline/, () => json(200, { buckets: [] })],
        [/GET \/api\/v1\/images\/\w+$/, (u) => json(200, makeImage(u.split('/').pop()!))],
        [/GET \/api\/v1\/labels/, () => json(200, { items: [] })],
      ]),
    ),
  )
}

const renderAt = (path: string) =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <App />
    </MemoryRouter>,
  )
const jpg = (name: string) => new File(['x'.repeat(100)], name, { type: 'image/jpeg' })
const openMenu = async () => fireEvent.click(await screen.findByTestId('nav-account'))

beforeEach(() => {
  clearGalleries()
  clearNavMemory()
  FakeXHR.reset()
  vi.stubGlobal('XMLHttpRequest', FakeXHR)
})
afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('uploads across the app', () => {
  it('keep running after leaving the Upload page, with a header indicator, and are listed on return', async () => {
    serve()
    renderAt('/upload')
    fireEvent.change(await screen.findByTestId('file-input'), { target: { files: [jpg('a.jpg'), jpg('b.jpg')] } })
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(2))
    act(() => FakeXHR.instances[0].progress(50, 100))
    expect(screen.getByTestId('upload-overall')).toBeTruthy()

    // away to the gallery: the uploads go on
    fireEvent.click(screen.getByTestId('nav-gallery'))
    await screen.findByTestId('gallery-title')
    const indicator = screen.getByTestId('upload-indicator')
    expect(indicator.dataset.active).toBe('2')
    expect(indicator.textContent).toContain('2 uploading')
    expect(indicator.getAttribute('aria-label')).toMatch(/^2 photos uploading, 25%/)
    expect(FakeXHR.instances[0].aborted).toBe(false)

    act(() => FakeXHR.instances[0].respond(201, makeImage('new-a')))
    act(() => FakeXHR.instances[1].respond(507, { error: { code: 'quota_exceeded', message: 'quota of 1 GiB exceeded' } }))
    await waitFor(() => expect(screen.getByTestId('upload-indicator').dataset.failed).toBe('1'))
    expect(screen.getByTestId('upload-indicator').textContent).toContain('1 failed')

    // back on the Upload page: both rows, the failure in plain words, and a retry
    fireEvent.click(screen.getByTestId('upload-indicator'))
    const rows = await screen.findAllByTestId('upload-item')
    expect(rows.map((r) => r.dataset.state)).toEqual(['done', 'rejected'])
    expect(within(rows[1]).getByTestId('upload-result').textContent).toMatch(/^Your storage is full\./)
    fireEvent.click(screen.getByTestId('retry-failed'))
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(3))
    expect((FakeXHR.instances[2].body!.get('file') as File).name).toBe('b.jpg')
    act(() => FakeXHR.instances[2].respond(201, makeImage('new-b')))
    await waitFor(() => expect(screen.getAllByTestId('upload-item').map((r) => r.dataset.state)).toEqual(['done', 'done']))
    expect(screen.queryByTestId('retry-failed')).toBeNull()
  })

  it('a file dropped anywhere is uploaded, never opened by the browser', async () => {
    serve()
    renderAt('/')
    await screen.findByTestId('gallery-title')
    const dataTransfer = { types: ['Files'], files: [jpg('dropped.jpg')], items: [{ kind: 'file', getAsFile: () => jpg('dropped.jpg'), webkitGetAsEntry: () => null }], dropEffect: 'none' }
    fireEvent.dragEnter(window, { dataTransfer })
    expect(await screen.findByTestId('drop-overlay')).toBeTruthy()
    const over = new Event('dragover', { bubbles: true, cancelable: true })
    Object.assign(over, { dataTransfer })
    window.dispatchEvent(over)
    expect(over.defaultPrevented).toBe(true)
    const drop = new Event('drop', { bubbles: true, cancelable: true })
    Object.assign(drop, { dataTransfer })
    act(() => void window.dispatchEvent(drop))
    expect(drop.defaultPrevented).toBe(true)
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(1))
    expect((FakeXHR.instances[0].body!.get('file') as File).name).toBe('dropped.jpg')
    expect(screen.queryByTestId('drop-overlay')).toBeNull()
    expect((await screen.findByTestId('drop-toast')).textContent).toContain('Uploading 1 photo')
    expect(screen.getByTestId('upload-indicator').dataset.active).toBe('1')
  })

  it('signed out, a dropped file is still kept from the browser, and nothing is sent', async () => {
    serve({ me: () => json(401, { error: { code: 'unauthorized', message: 'x' } }) })
    renderAt('/')
    await screen.findByTestId('nav-sign-in')
    const dataTransfer = { types: ['Files'], files: [jpg('x.jpg')], items: [] }
    fireEvent.dragEnter(window, { dataTransfer })
    expect((await screen.findByTestId('drop-overlay')).textContent).toContain('Sign in to upload photos')
    const drop = new Event('drop', { bubbles: true, cancelable: true })
    Object.assign(drop, { dataTransfer })
    act(() => void window.dispatchEvent(drop))
    expect(drop.defaultPrevented).toBe(true)
    await new Promise((r) => setTimeout(r, 10))
    expect(FakeXHR.instances).toHaveLength(0)
  })

  it('a chosen folder uploads its photos and says how many other files it skipped', async () => {
    serve()
    renderAt('/upload')
    const input = (await screen.findByTestId('folder-input')) as HTMLInputElement
    expect(input.hasAttribute('webkitdirectory')).toBe(true)
    const inFolder = (name: string) => Object.assign(new File(['x'], name), { webkitRelativePath: `Trip/${name}` })
    fireEvent.change(input, { target: { files: [inFolder('a.jpg'), inFolder('notes.txt'), inFolder('b.HEIC'), inFolder('clip.mov'), inFolder('.DS_Store')] } })
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(2))
    expect(screen.getByTestId('upload-skipped').textContent).toContain('Skipped 2 files that aren’t photos: Trip/notes.txt, Trip/clip.mov')
    expect(screen.getAllByTestId('upload-item').map((r) => r.querySelector('.upload-name')?.textContent)).toEqual(['Trip/a.jpg', 'Trip/b.HEIC'])
  })
})

describe('header', () => {
  it('puts the account pages, the theme and sign-out in the menu; the theme choice is kept', async () => {
    serve()
    renderAt('/')
    await openMenu()
    const menu = screen.getByTestId('menu-panel')
    expect(within(menu).getByTestId('nav-admin').getAttribute('href')).toBe('/admin/users')
    expect(within(menu).getByTestId('nav-tokens').getAttribute('href')).toBe('/account/tokens')
    expect(within(menu).getByTestId('sign-out')).toBeTruthy()
    expect((within(menu).getByTestId('theme-system') as HTMLInputElement).checked).toBe(true)
    fireEvent.click(within(menu).getByTestId('theme-dark'))
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    fireEvent.click(within(menu).getByTestId('theme-light'))
    expect(document.documentElement.dataset.theme).toBe('light')
    expect(localStorage.getItem(THEME_KEY)).toBe('light')
    // Escape closes the menu
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(screen.queryByTestId('menu-panel')).toBeNull()
  })

  it('closes the menu on navigation, also to the page already shown', async () => {
    serve()
    renderAt('/')
    await openMenu()
    fireEvent.click(within(screen.getByTestId('menu-panel')).getByTestId('menu-gallery'))
    expect(screen.queryByTestId('menu-panel')).toBeNull()
    await openMenu()
    fireEvent.click(within(screen.getByTestId('menu-panel')).getByTestId('menu-places'))
    await waitFor(() => expect(screen.queryByTestId('menu-panel')).toBeNull())
  })
})

describe('setting up a new server', () => {
  it('the first visit goes to "Set up Banana", which says the account becomes the administrator', async () => {
    serve({ info: { needs_setup: true }, me: () => json(401, { error: { code: 'unauthorized', message: 'x' } }) })
    renderAt('/')
    expect((await screen.findByTestId('setup-title')).textContent).toBe('Set up Banana')
    expect(screen.getByTestId('setup-note').textContent).toMatch(/first account you create becomes the administrator/)
    expect(screen.getByTestId('register-submit').textContent).toBe('Create admin account')
    expect(screen.getByTestId('nav-register').textContent).toBe('Set up Banana')
  })
  it('the sign-in page of such a server is the set-up page too', async () => {
    serve({ info: { needs_setup: true }, me: () => json(401, { error: { code: 'unauthorized', message: 'x' } }) })
    renderAt('/login')
    expect(await screen.findByTestId('setup-title')).toBeTruthy()
  })
})
