import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

// jsdom does not implement scrolling; the app calls it on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo

afterEach(() => {
  cleanup()
  sessionStorage.clear()
})
