import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { dismissToast } from '../lib/toast'

// jsdom does not implement scrolling; the app calls it on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  dismissToast()
})
