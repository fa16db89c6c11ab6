// The colour theme: follows the system (`prefers-color-scheme`) unless the user picks Light or
// Dark, which is kept in localStorage. `public/theme.js` applies the same before the first paint.
import { useCallback, useEffect, useState } from 'react'

export type ThemePref = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

export const THEME_KEY = 'banana.theme'
export const THEME_CHOICES: Array<{ value: ThemePref; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]
/** The browser chrome's colour (`<meta name="theme-color">`) in each theme: the page background. */
export const THEME_COLOR: Record<Theme, string> = { light: '#fbfaf7', dark: '#15171c' }

export function readThemePref(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemePref {
  try {
    const v = storage?.getItem(THEME_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

export function writeThemePref(pref: ThemePref, storage: Pick<Storage, 'setItem' | 'removeItem'> | null = safeStorage()): void {
  try {
    // "System" is the default: nothing stored.
    if (pref === 'system') storage?.removeItem(THEME_KEY)
    else storage?.setItem(THEME_KEY, pref)
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

export function resolveTheme(pref: ThemePref, systemDark: boolean): Theme {
  return pref === 'system' ? (systemDark ? 'dark' : 'light') : pref
}

const DARK_QUERY = '(prefers-color-scheme: dark)'

export function systemPrefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches
}

export function applyTheme(pref: ThemePref, systemDark = systemPrefersDark(), doc: Document = document): Theme {
  const theme = resolveTheme(pref, systemDark)
  const root = doc.documentElement
  root.dataset.theme = theme
  root.dataset.themePref = pref
  root.style.colorScheme = theme
  doc.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLOR[theme])
  return theme
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The user's choice and the theme in effect; follows the system while the choice is "System". */
export function useTheme(): { pref: ThemePref; theme: Theme; setPref: (p: ThemePref) => void } {
  const [pref, setPrefState] = useState<ThemePref>(() => readThemePref())
  const [systemDark, setSystemDark] = useState(() => systemPrefersDark())
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const mq = window.matchMedia(DARK_QUERY)
    const on = () => setSystemDark(mq.matches)
    mq.addEventListener?.('change', on)
    return () => mq.removeEventListener?.('change', on)
  }, [])
  // Another tab changed it.
  useEffect(() => {
    const on = (e: StorageEvent) => {
      if (e.key === THEME_KEY || e.key === null) setPrefState(readThemePref())
    }
    window.addEventListener('storage', on)
    return () => window.removeEventListener('storage', on)
  }, [])
  useEffect(() => {
    applyTheme(pref, systemDark)
  }, [pref, systemDark])
  const setPref = useCallback((p: ThemePref) => {
    writeThemePref(p)
    setPrefState(p)
  }, [])
  return { pref, theme: resolveTheme(pref, systemDark), setPref }
}
