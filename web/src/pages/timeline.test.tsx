// #15 pages: the timeline gallery, the photo info panel, the Places page, search help, HEIC upload.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter } from 'react-router'
import App from '../App'
import { clearGalleries } from '../lib/galleryCache'
import { clearNavMemory } from '../lib/nav'
import { FakeXHR } from '../test/fakeXhr'
import { json, makeImage, routeFetch } from '../test/fixtures'

const me = { id: 'u1', username: 'ada', is_admin: false, disabled: false, created_at: '2026-01-01T00:00:00Z' }
const info = { version: '0.1.0', demo: false, open_registration: false, needs_setup: false, models: { state: 'ready' } }
const unauthorized = () => json(401, { error: { code: 'unauthorized', message: 'sign in' } })

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
})

const timeline = {
  buckets: [
    { month: '2021-04', count: 1 },
    { month: '2008-10', count: 3 },
    { month: '2008-03', count: 1 },
  ],
}

describe('timeline gallery', () => {
  function stub(urls: string[], items = [
    makeImage('h', { taken_at: '2021-04-11T15:47:53-05:00' }),
    makeImage('a', { taken_at: '2008-10-22T16:29:49+02:00' }),
    makeImage('b', { taken_at: '2008-10-22T09:02:00+02:00' }),
    makeImage('c', { taken_at: '2008-10-03T12:00:00Z' }),
    makeImage('d', { taken_at: '2008-03-07T09:55:46Z' }),
  ]) {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/timeline/, (u) => (urls.push(u), json(200, timeline))],
          [/GET \/api\/v1\/images\?/, (u) => (urls.push(u), json(200, { items: u.includes('taken_to=2008-12-31') ? items.slice(1) : items, next_cursor: null }))],
        ]),
      ),
    )
  }

  it('shows month sections with day headers and dates on tiles', async () => {
    const urls: string[] = []
    stub(urls)
    renderAt('/')
    await waitFor(() => expect(screen.getAllByTestId('timeline-month')).toHaveLength(3))
    expect(screen.getAllByTestId('timeline-month-title').map((e) => e.textContent)).toEqual([
      'April 20211 photo',
      'October 20083 photos',
      'March 20081 photo',
    ])
    const october = screen.getAllByTestId('timeline-month')[1]
    expect(within(october).getAllByTestId('timeline-day-title').map((e) => e.textContent)).toEqual(['Wed 22 Oct', 'Fri 3 Oct'])
    const tile = screen.getAllByTestId('gallery-item').find((e) => e.dataset.imageId === 'a')!
    const date = within(tile).getByTestId('tile-date')
    expect(date.textContent).toBe('22 Oct 2008')
    expect(date.getAttribute('title')).toBe('Taken 22 Oct 2008, 16:29 (UTC+02:00)')
    // the list keeps the server's order, default sort (by date taken) not sent
    expect(screen.getAllByTestId('gallery-item').map((e) => e.dataset.imageId)).toEqual(['h', 'a', 'b', 'c', 'd'])
    expect(urls.find((u) => u.startsWith('/api/v1/images'))).toBe('/api/v1/images?limit=40')
  })

  it('jumps to a year from the scrubber: that year at the top, in the URL', async () => {
    const urls: string[] = []
    stub(urls)
    renderAt('/')
    const scrubber = await screen.findByTestId('year-scrubber')
    expect(within(scrubber).getAllByTestId('year-link').map((e) => e.textContent)).toEqual(['2021', '2008'])
    expect(within(scrubber).getAllByTestId('year-link')[1].getAttribute('title')).toBe('4 photos taken in 2008')
    expect(urls).toContain('/api/v1/timeline')
    fireEvent.click(within(scrubber).getByText('2008'))
    await waitFor(() => expect(urls).toContain('/api/v1/images?limit=40&taken_to=2008-12-31'))
    await waitFor(() => expect(screen.getAllByTestId('timeline-month-title')[0].textContent).toMatch(/^October 2008/))
    expect(within(screen.getByTestId('year-scrubber')).getByText('2008').getAttribute('aria-current')).toBe('true')
    expect(screen.getByTestId('filter-date').textContent).toContain('Taken up to 31 Dec 2008')
    expect((screen.getByTestId('taken-to') as HTMLInputElement).value).toBe('2008-12-31')
  })

  it('filters by a date range and sorts by upload date through the URL', async () => {
    const urls: string[] = []
    stub(urls)
    renderAt('/')
    await screen.findAllByTestId('timeline-month')
    fireEvent.change(screen.getByTestId('taken-from'), { target: { value: '2008-11-01' } })
    fireEvent.change(screen.getByTestId('taken-to'), { target: { value: '2008-10-01' } })
    fireEvent.click(screen.getByTestId('date-apply'))
    expect((await screen.findByTestId('date-error')).textContent).toMatch(/after/)
    fireEvent.change(screen.getByTestId('taken-from'), { target: { value: '2008-10-01' } })
    fireEvent.change(screen.getByTestId('taken-to'), { target: { value: '2008-10-31' } })
    fireEvent.click(screen.getByTestId('date-apply'))
    await waitFor(() => expect(urls).toContain('/api/v1/images?limit=40&taken_from=2008-10-01&taken_to=2008-10-31'))
    expect(screen.getByTestId('filter-date').textContent).toContain('Taken 1 Oct 2008 – 31 Oct 2008')
    fireEvent.click(screen.getByTestId('sort-uploaded'))
    await waitFor(() => expect(urls).toContain('/api/v1/images?limit=40&sort=uploaded&taken_from=2008-10-01&taken_to=2008-10-31'))
    fireEvent.click(screen.getByTestId('date-clear'))
    await waitFor(() => expect(urls).toContain('/api/v1/images?limit=40&sort=uploaded'))
  })

  it('coming back by date taken, a new old photo takes its place in the timeline', async () => {
    const urls: string[] = []
    const items = [makeImage('h', { taken_at: '2021-04-11T15:47:53-05:00' }), makeImage('a', { taken_at: '2008-10-22T16:29:49+02:00' })]
    stub(urls, items)
    const first = renderAt('/')
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(2))
    first.unmount()
    items.splice(1, 0, makeImage('n', { taken_at: '2015-06-01T10:00:00Z' }))
    renderAt('/')
    await waitFor(() => expect(screen.getAllByTestId('gallery-item').map((e) => e.dataset.imageId)).toEqual(['h', 'n', 'a']))
    expect(screen.getAllByTestId('timeline-month').map((e) => e.dataset.month)).toEqual(['2021-04', '2015-06', '2008-10'])
  })

  it('filters by place from the URL and names it', async () => {
    const urls: string[] = []
    stub(urls)
    renderAt('/?country=IT&city=Arezzo')
    await waitFor(() => expect(urls).toContain('/api/v1/images?limit=40&country=IT&city=Arezzo'))
    await waitFor(() => expect(screen.getByTestId('gallery-title').textContent).toBe('Arezzo, Italy'))
    expect(screen.getByTestId('filter-place').textContent).toContain('Arezzo, Italy')
  })
})

describe('photo info panel', () => {
  const photo = makeImage('p', {
    taken_at: '2008-10-22T16:29:49+02:00',
    taken_at_source: 'exif',
    camera: { make: 'Canon', model: 'Canon EOS 40D', lens: 'EF 50mm f/1.8 II', focal_length_mm: 50, f_number: 2.8, exposure_time_s: 0.004, iso: 200 },
    location: { lat: 48.8566, lon: 2.3522, city: 'Paris', region: 'Île-de-France', country: 'France', country_code: 'FR' },
  })

  function stub(img: ReturnType<typeof makeImage>, who: object | null, patches: unknown[] = [], answer?: (body: Record<string, unknown>) => Response) {
    let current = img
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => (who ? json(200, who) : unauthorized())],
          [/GET \/api\/v1\/images\/p\/similar/, () => json(200, { items: [] })],
          [/GET \/api\/v1\/images\/p\/shares/, () => json(200, { items: [] })],
          [/PATCH \/api\/v1\/images\/p$/, (_u, init) => {
            const body = JSON.parse(init.body as string)
            patches.push(body)
            if (answer) return answer(body)
            current = {
              ...current,
              ...(body.taken_at !== undefined ? { taken_at: body.taken_at, taken_at_source: 'manual' } : {}),
              ...(body.location !== undefined
                ? { location: body.location && { ...body.location, city: 'Lyon', region: null, country: 'France', country_code: 'FR' } }
                : {}),
            }
            return json(200, current)
          }],
          [/GET \/api\/v1\/images\/p$/, () => json(200, current)],
        ]),
      ),
    )
  }

  it('shows the owner the date in its own offset, the camera, exposure and the place', async () => {
    stub(photo, me)
    renderAt('/images/p')
    const panel = await screen.findByTestId('info-panel')
    expect(within(panel).getByTestId('info-taken').textContent).toBe('22 Oct 2008, 16:29 (UTC+02:00)')
    expect(within(panel).getByTestId('info-camera').textContent).toBe('Canon EOS 40D')
    expect(within(panel).getByTestId('info-camera').querySelector('a')?.getAttribute('href')).toBe('/?camera=Canon')
    expect(within(panel).getByTestId('info-lens').textContent).toBe('EF 50mm f/1.8 II')
    expect(within(panel).getByTestId('info-focal').textContent).toBe('50 mm')
    expect(within(panel).getByTestId('info-aperture').textContent).toBe('ƒ/2.8')
    expect(within(panel).getByTestId('info-exposure').textContent).toBe('1/250 s')
    expect(within(panel).getByTestId('info-iso').textContent).toBe('200')
    const place = within(panel).getByTestId('info-place')
    expect(place.querySelector('a')?.textContent).toBe('Paris, Île-de-France, France')
    expect(place.querySelector('a')?.getAttribute('href')).toBe('/?country=FR&city=Paris')
    expect(within(panel).getByTestId('info-coordinates').textContent).toBe('48.8566° N, 2.3522° E')
    expect(within(panel).getByTestId('geo-grid')).toBeTruthy()
    expect(within(panel).getByTestId('geonames-credit').textContent).toContain('Places from GeoNames (CC BY 4.0)')
    // the preview is the server's JPEG, never the original file
    expect(screen.getByTestId('image-preview').getAttribute('src')).toBe('/api/v1/images/p/preview')
  })

  it('shows someone else no position and no edit form', async () => {
    const other = makeImage('p', { ...photo, owner: { id: 'u9', username: 'carol' }, visibility: 'public', location: null })
    stub(other, null)
    renderAt('/images/p')
    const panel = await screen.findByTestId('info-panel')
    expect(within(panel).getByTestId('info-taken').textContent).toBe('22 Oct 2008, 16:29 (UTC+02:00)')
    expect(within(panel).getByTestId('info-camera').textContent).toBe('Canon EOS 40D')
    expect(within(panel).queryByTestId('info-place')).toBeNull()
    expect(within(panel).queryByTestId('info-coordinates')).toBeNull()
    expect(within(panel).queryByTestId('geo-grid')).toBeNull()
    expect(within(panel).queryByTestId('edit-date-place')).toBeNull()
  })

  it('does not offer an administrator to move someone else\'s photo', async () => {
    const other = makeImage('p', { ...photo, owner: { id: 'u9', username: 'carol' }, location: null })
    stub(other, { ...me, is_admin: true })
    renderAt('/images/p')
    const panel = await screen.findByTestId('info-panel')
    expect(await screen.findByTestId('visibility-toggle')).toBeTruthy()
    expect(within(panel).queryByTestId('edit-date-place')).toBeNull()
    expect(within(panel).queryByTestId('info-place')).toBeNull()
  })

  it('notes where a date came from, and says when it is not known', async () => {
    stub(makeImage('p', { taken_at: '2026-11-27T05:00:00Z', taken_at_source: 'upload', location: null }), me)
    const view = renderAt('/images/p')
    expect((await screen.findByTestId('info-taken')).textContent).toBe('27 Nov 2026, 05:00 (UTC) · upload time')
    view.unmount()
    stub(makeImage('p', { taken_at: null, taken_at_source: null, location: null }), me)
    renderAt('/images/p')
    expect((await screen.findByTestId('info-taken')).textContent).toBe('Not known')
  })

  it('lets the owner correct the date and position, checking them first', async () => {
    const patches: unknown[] = []
    stub(photo, me, patches)
    renderAt('/images/p')
    fireEvent.click(await screen.findByTestId('edit-date-place'))
    expect((screen.getByTestId('edit-taken-at') as HTMLInputElement).value).toMatch(/^2008-10-22T16:29:49/)
    expect((screen.getByTestId('edit-taken-offset') as HTMLInputElement).value).toBe('+02:00')
    fireEvent.change(screen.getByTestId('edit-taken-offset'), { target: { value: 'CEST' } })
    fireEvent.click(screen.getByTestId('save-date-place'))
    expect((await screen.findByTestId('date-place-msg')).textContent).toMatch(/offset/)
    fireEvent.change(screen.getByTestId('edit-taken-offset'), { target: { value: '+2' } })
    fireEvent.change(screen.getByTestId('edit-taken-at'), { target: { value: '2019-07-04T12:00' } })
    fireEvent.change(screen.getByTestId('edit-lat'), { target: { value: '95' } })
    fireEvent.click(screen.getByTestId('save-date-place'))
    await waitFor(() => expect(screen.getByTestId('date-place-msg').textContent).toMatch(/Latitude/))
    expect(patches).toHaveLength(0)
    fireEvent.change(screen.getByTestId('edit-lat'), { target: { value: '45.764' } })
    fireEvent.change(screen.getByTestId('edit-lon'), { target: { value: '4.8357' } })
    fireEvent.click(screen.getByTestId('save-date-place'))
    await waitFor(() => expect(screen.getByTestId('info-taken').textContent).toBe('4 Jul 2019, 12:00 (UTC+02:00) · set by you'))
    expect(patches).toEqual([{ taken_at: '2019-07-04T12:00:00+02:00', location: { lat: 45.764, lon: 4.8357 } }])
    expect(screen.getByTestId('info-place').textContent).toContain('Lyon, France')
    // clearing both fields removes the position
    fireEvent.change(screen.getByTestId('edit-lat'), { target: { value: '' } })
    fireEvent.change(screen.getByTestId('edit-lon'), { target: { value: '' } })
    fireEvent.click(screen.getByTestId('save-date-place'))
    await waitFor(() => expect(screen.queryByTestId('info-place')).toBeNull())
    expect(patches[1]).toEqual({ location: null })
  })

  it('shows the server refusing a change', async () => {
    stub(photo, me, [], () => json(400, { error: { code: 'bad_request', message: 'taken_at: not a date' } }))
    renderAt('/images/p')
    fireEvent.click(await screen.findByTestId('edit-date-place'))
    fireEvent.change(screen.getByTestId('edit-taken-offset'), { target: { value: '' } })
    fireEvent.click(screen.getByTestId('save-date-place'))
    await waitFor(() => expect(screen.getByTestId('date-place-msg').textContent).toBe('taken_at: not a date'))
    expect(screen.getByTestId('date-place-msg').getAttribute('role')).toBe('alert')
  })
})

describe('places page', () => {
  function stub(items: unknown[]) {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/places/, () => json(200, { items })],
          [/GET \/api\/v1\/timeline/, () => json(200, { buckets: [] })],
          [/GET \/api\/v1\/images\?/, () => json(200, { items: [makeImage('a')], next_cursor: null })],
        ]),
      ),
    )
  }

  it('lists countries with counts, expanding to cities that open the gallery there', async () => {
    stub([
      { country_code: 'FR', country: 'France', city: 'Paris', region: 'Île-de-France', count: 3 },
      { country_code: 'IT', country: 'Italy', city: 'Arezzo', region: 'Tuscany', count: 9 },
      { country_code: 'FR', country: 'France', city: 'Lyon', region: null, count: 5 },
    ])
    renderAt('/places')
    const countries = await screen.findAllByTestId('place-country')
    expect(countries.map((c) => c.querySelector('.place-name')?.textContent)).toEqual(['Italy', 'France'])
    expect(countries.map((c) => c.querySelector('.place-count')?.textContent)).toEqual(['9', '8'])
    expect(screen.getByTestId('places-summary').textContent).toBe('17 photos with a position, in 2 countries.')
    const cities = within(countries[1]).getAllByTestId('place-city')
    expect(cities.map((c) => c.dataset.city)).toEqual(['Lyon', 'Paris'])
    expect(cities[1].getAttribute('href')).toBe('/?country=FR&city=Paris')
    expect(within(countries[1]).getByTestId('place-country-link').getAttribute('href')).toBe('/?country=FR')
    expect(screen.getByTestId('geonames-credit').textContent).toContain('Places from GeoNames (CC BY 4.0)')
    expect(screen.getByTestId('nav-places')).toBeTruthy()
    fireEvent.click(cities[1])
    await waitFor(() => expect(screen.getByTestId('gallery-title').textContent).toBe('Paris, France'))
  })

  it('says how places appear when there are none', async () => {
    stub([])
    renderAt('/places')
    const empty = await screen.findByTestId('places-empty')
    expect(empty.textContent).toContain('No places yet')
    expect(empty.textContent).toContain('Photos with GPS positions appear here')
  })
})

describe('search help', () => {
  it('says what can be searched, with examples that run', async () => {
    const urls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/search/, (u) => (urls.push(u), json(200, {
            items: [{ image: makeImage('s1'), score: 0.9, matched: ['taken 2008', 'place: Paris', 'camera: Canon'] }],
            next_cursor: null,
          }))],
        ]),
      ),
    )
    renderAt('/search')
    const help = await screen.findByTestId('search-help')
    const examples = within(help).getAllByTestId('search-example').map((e) => e.textContent)
    for (const e of ['a pet cat', 'photos from 2008', 'October 2008', 'last summer', 'in Paris', 'taken with a Canon']) expect(examples).toContain(e)
    expect(help.textContent).toContain('Places')
    expect(help.textContent).toContain('Cameras')
    fireEvent.click(within(help).getByText('photos from 2008'))
    await waitFor(() => expect(urls[0]).toBe('/api/v1/search?q=photos+from+2008&limit=30'))
    expect((await screen.findByTestId('matched')).textContent).toBe('Matched: taken 2008 · in Paris · with a Canon')
  })

  it('shows the same help when nothing matched', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/search/, () => json(200, { items: [], next_cursor: null })],
        ]),
      ),
    )
    renderAt('/search?q=unicorn')
    const empty = await screen.findByTestId('search-empty')
    expect(within(empty).getAllByTestId('search-example').length).toBeGreaterThan(4)
  })
})

describe('HEIC upload', () => {
  beforeEach(() => {
    FakeXHR.reset()
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    vi.stubGlobal(
      'fetch',
      vi.fn(
        routeFetch([
          [/GET \/api\/v1\/info/, () => json(200, info)],
          [/GET \/api\/v1\/me/, () => json(200, me)],
          [/GET \/api\/v1\/images\/h1$/, () => json(200, makeImage('h1'))],
        ]),
      ),
    )
  })

  it('offers .heic in the picker and never shows the HEIC itself, only the server thumbnail', async () => {
    const created: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), `blob:${created.length}`), revokeObjectURL: () => {} }))
    renderAt('/upload')
    const input = (await screen.findByTestId('file-input')) as HTMLInputElement
    expect(input.accept).toContain('.heic')
    expect(input.accept).toContain('image/heic')
    const heic = new File(['ftypheic'], 'IMG_5195.HEIC', { type: '', lastModified: Date.parse('2021-04-11T20:47:53Z') })
    fireEvent.change(input, { target: { files: [heic] } })
    await waitFor(() => expect(FakeXHR.instances).toHaveLength(1))
    expect((FakeXHR.instances[0].body!.get('file') as File).name).toBe('IMG_5195.HEIC')
    expect(FakeXHR.instances[0].body!.get('file_modified_at')).toMatch(/^2021-04-1\dT\d\d:\d\d:53[+-]\d\d:\d\d$/)
    expect(created).toHaveLength(0)
    const row = screen.getByTestId('upload-item')
    expect(row.querySelector('img')).toBeNull()
    FakeXHR.instances[0].respond(201, makeImage('h1', { content_type: 'image/heic', filename: 'IMG_5195.HEIC' }))
    const thumb = await screen.findByTestId('upload-server-thumb')
    expect(thumb.getAttribute('src')).toBe('/api/v1/images/h1/thumbnail')
  })
})
