import { afterEach, describe, expect, it } from 'vitest'
import code from '../../public/theme.js?raw'
import { applyTheme, readThemePref, resolveTheme, THEME_KEY, writeThemePref } from './theme'

afterEach(() => {
  localStorage.clear()
  delete document.documentElement.dataset.theme
})

describe('theme preference', () => {
  it('is "system" until the user picks one, and is kept in localStorage', () => {
    expect(readThemePref()).toBe('system')
    writeThemePref('dark')
    expect(localStorage.getItem(THEME_KEY)).toBe('dark')
    expect(readThemePref()).toBe('dark')
    writeThemePref('light')
    expect(readThemePref()).toBe('light')
    // back to System: nothing stored (the default)
    writeThemePref('system')
    expect(localStorage.getItem(THEME_KEY)).toBeNull()
    expect(readThemePref()).toBe('system')
  })
  it('ignores junk and unreadable storage', () => {
    localStorage.setItem(THEME_KEY, 'purple')
    expect(readThemePref()).toBe('system')
    const broken = { getItem: () => { throw new Error('denied') } }
    expect(readThemePref(broken)).toBe('system')
    expect(() => writeThemePref('dark', { setItem: () => { throw new Error('full') }, removeItem: () => {} })).not.toThrow()
  })
  it('"system" follows the system; an explicit choice wins over it', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
    expect(resolveTheme('dark', false)).toBe('dark')
  })
  it('applies the theme to <html> and the browser colour', () => {
    const meta = document.createElement('meta')
    meta.name = 'theme-color'
    document.head.appendChild(meta)
    expect(applyTheme('system', true)).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(document.documentElement.dataset.themePref).toBe('system')
    expect(document.documentElement.style.colorScheme).toBe('dark')
    expect(meta.getAttribute('content')).toBe('#15171c')
    applyTheme('light', true)
    expect(document.documentElement.dataset.theme).toBe('light')
    expect(meta.getAttribute('content')).toBe('#fbfaf7')
    meta.remove()
  })
})

describe('public/theme.js (runs before the first paint)', () => {
  it('sets the same theme from the same key', () => {
    expect(code).toContain(`'${THEME_KEY}'`)
    localStorage.setItem(THEME_KEY, 'dark')
    new Function(code)()
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark')
    localStorage.removeItem(THEME_KEY)
    new Function(code)() // jsdom has no matchMedia: light
    expect(document.documentElement.getAttribute('data-theme')).toBe('light')
    expect(document.documentElement.getAttribute('data-theme-pref')).toBe('system')
  })
})
