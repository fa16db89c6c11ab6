import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'
import { dismissToast } from '../lib/toast'

// A loaded machine (a build beside the tests) can take over a second to render a page.
configure({ asyncUtilTimeout: 3000 })

// jsdom does not implement scrolling; the app calls it on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  dismissToast()
})
