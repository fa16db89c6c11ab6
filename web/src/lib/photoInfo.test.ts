import { describe, expect, it } from 'vitest'
import {
  formatAperture,
  formatCamera,
  formatCoordinates,
  formatExposure,
  formatExposureLine,
  formatFocalLength,
  formatIso,
  formatPlace,
  parsePosition,
} from './photoInfo'
import { activeYear, apiFilter, EMPTY_QUERY, galleryPath, jumpToYear, readGalleryQuery } from './galleryQuery'
import { normalizeOffset, takenAtFor } from '../components/PhotoInfo'
import { groupPlaces } from '../pages/PlacesPage'
import { describeMatch } from '../pages/SearchPage'

describe('camera settings', () => {
  it('formats exposure times as photographers write them', () => {
    expect(formatExposure(0.004)).toBe('1/250 s')
    expect(formatExposure(1 / 125)).toBe('1/125 s')
    expect(formatExposure(0.0025575447570332483)).toBe('1/391 s')
    expect(formatExposure(0.5)).toBe('1/2 s')
    expect(formatExposure(0.3333)).toBe('1/3 s')
    expect(formatExposure(0.4)).toBe('0.4 s')
    expect(formatExposure(1)).toBe('1 s')
    expect(formatExposure(2.5)).toBe('2.5 s')
    expect(formatExposure(30)).toBe('30 s')
    expect(formatExposure(0)).toBeNull()
    expect(formatExposure(null)).toBeNull()
  })
  it('formats aperture, focal length and ISO', () => {
    expect(formatAperture(2.8)).toBe('ƒ/2.8')
    expect(formatAperture(4)).toBe('ƒ/4')
    expect(formatAperture(1.7999)).toBe('ƒ/1.8')
    expect(formatFocalLength(50)).toBe('50 mm')
    expect(formatFocalLength(4.25)).toBe('4.25 mm')
    expect(formatFocalLength(18.55)).toBe('18.6 mm')
    expect(formatIso(200)).toBe('ISO 200')
    expect(formatIso(null)).toBeNull()
    expect(
      formatExposureLine({ make: null, model: null, lens: null, focal_length_mm: 50, f_number: 2.8, exposure_time_s: 0.004, iso: 200 }),
    ).toBe('ƒ/2.8 · 1/250 s · 50 mm · ISO 200')
    expect(formatExposureLine({ make: null, model: null, lens: null, focal_length_mm: null, f_number: null, exposure_time_s: null, iso: null })).toBeNull()
  })
  it('names the camera without repeating the make', () => {
    expect(formatCamera({ make: 'Canon', model: 'Canon EOS 40D' })).toBe('Canon EOS 40D')
    expect(formatCamera({ make: 'NIKON CORPORATION', model: 'NIKON D70' })).toBe('NIKON D70')
    expect(formatCamera({ make: 'PENTAX Corporation ', model: 'PENTAX K10D        ' })).toBe('PENTAX K10D')
    expect(formatCamera({ make: 'Apple', model: 'iPhone 11 Pro Max' })).toBe('Apple iPhone 11 Pro Max')
    expect(formatCamera({ make: 'Apple', model: null })).toBe('Apple')
    expect(formatCamera({ make: null, model: null })).toBeNull()
  })
})

describe('places', () => {
  it('writes a place and coordinates', () => {
    expect(formatPlace({ city: 'Paris', region: 'Île-de-France', country: 'France' })).toBe('Paris, Île-de-France, France')
    expect(formatPlace({ city: 'Singapore', region: null, country: 'Singapore' })).toBe('Singapore')
    expect(formatPlace({ city: null, region: null, country: null })).toBeNull()
    expect(formatCoordinates(48.85661, 2.35222)).toBe('48.8566° N, 2.3522° E')
    expect(formatCoordinates(-33.8688, -70.6693)).toBe('33.8688° S, 70.6693° W')
  })
  it('checks a typed position', () => {
    expect(parsePosition(' 48.85 ', '2.35')).toEqual({ lat: 48.85, lon: 2.35 })
    expect(parsePosition('-90', '180')).toEqual({ lat: -90, lon: 180 })
    expect(parsePosition('91', '0')).toEqual({ error: 'Latitude must be a number from -90 to 90.' })
    expect(parsePosition('1', '2,5')).toEqual({ error: 'Longitude must be a number from -180 to 180.' })
    expect(parsePosition('', '2')).toHaveProperty('error')
  })
  it('groups place rows into countries and cities, most photos first', () => {
    const g = groupPlaces([
      { country_code: 'FR', country: 'France', city: 'Paris', region: 'Île-de-France', count: 3 },
      { country_code: 'IT', country: 'Italy', city: 'Arezzo', region: 'Tuscany', count: 9 },
      { country_code: 'FR', country: 'France', city: 'Lyon', region: 'Auvergne-Rhône-Alpes', count: 5 },
      { country_code: 'FR', country: 'France', city: null, region: null, count: 2 },
    ])
    expect(g.map((c) => [c.code, c.count, c.elsewhere])).toEqual([
      ['FR', 10, 2],
      ['IT', 9, 0],
    ])
    expect(g[0].cities.map((c) => c.city)).toEqual(['Lyon', 'Paris'])
  })
})

describe('editing the date taken', () => {
  it('normalizes offsets and builds taken_at', () => {
    expect(normalizeOffset('+2')).toBe('+02:00')
    expect(normalizeOffset('-0500')).toBe('-05:00')
    expect(normalizeOffset('UTC+05:30')).toBe('+05:30')
    expect(normalizeOffset('Z')).toBe('+00:00')
    expect(normalizeOffset('')).toBe('')
    expect(normalizeOffset('+15:00')).toBeNull()
    expect(normalizeOffset('CET')).toBeNull()
    expect(takenAtFor('2019-07-04T12:00', '+02:00')).toBe('2019-07-04T12:00:00+02:00')
    expect(takenAtFor('2019-07-04T12:00:30', '')).toBe('2019-07-04T12:00:30')
    expect(takenAtFor('2019-07-04T12:00:30.000', '-05:00')).toBe('2019-07-04T12:00:30-05:00')
    expect(takenAtFor('2019-07-04', '')).toBeNull()
  })
})

describe('gallery query in the URL', () => {
  it('reads and writes filters, dropping defaults and junk', () => {
    const q = readGalleryQuery(new URLSearchParams('sort=uploaded&taken_from=2008-01-01&taken_to=2008-13-01&country=it&city=Arezzo&label=L1'))
    expect(q).toEqual({ ...EMPTY_QUERY, label: 'L1', sort: 'uploaded', from: '2008-01-01', country: 'IT', city: 'Arezzo' })
    expect(galleryPath('mine', q)).toBe('/?label=L1&sort=uploaded&taken_from=2008-01-01&country=IT&city=Arezzo')
    expect(galleryPath('public', EMPTY_QUERY)).toBe('/?scope=public')
    expect(galleryPath('mine', EMPTY_QUERY)).toBe('/')
    // a city without its country is dropped
    expect(readGalleryQuery(new URLSearchParams('city=Paris')).city).toBeNull()
    expect(apiFilter(undefined, q)).toEqual({ label: 'L1', scope: undefined, sort: 'uploaded', taken_from: '2008-01-01', taken_to: null, country: 'IT', city: 'Arezzo', camera: null })
  })
  it('jumps to a year: up to its last day, by date taken', () => {
    const q = jumpToYear({ ...EMPTY_QUERY, sort: 'uploaded', from: '2001-01-01' }, 2008)
    expect(galleryPath('mine', q)).toBe('/?taken_to=2008-12-31')
    expect(activeYear(q)).toBe(2008)
    expect(activeYear({ ...q, from: '2008-01-01' })).toBeNull()
  })
})

describe('search matches', () => {
  it('reads date, place and camera matches', () => {
    expect(describeMatch('taken 2008')).toBe('taken 2008')
    expect(describeMatch('taken October 2008')).toBe('taken October 2008')
    expect(describeMatch('place: Paris')).toBe('in Paris')
    expect(describeMatch('place: Île-de-France, France')).toBe('in Île-de-France, France')
    expect(describeMatch('camera: Canon')).toBe('with a Canon')
    expect(describeMatch('tabby, tabby cat')).toBe('tabby')
    expect(describeMatch('filename')).toBe('file name')
  })
})
