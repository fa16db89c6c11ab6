/**
 * A FIFO task queue that runs at most `limit` tasks at once. Tasks can be added
 * while others run (e.g. more files dropped during an upload). Each push returns
 * a promise for that task's own result; one failing task does not stop others.
 */
export class BoundedQueue {
  private readonly limit: number
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(limit: number) {
    if (!(limit >= 1)) throw new Error('limit must be at least 1')
    this.limit = Math.floor(limit)
  }

  get running(): number {
    return this.active
  }

  get pending(): number {
    return this.waiting.length
  }

  push<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.active++
        let p: Promise<T>
        try {
          p = Promise.resolve(task())
        } catch (e) {
          p = Promise.reject(e)
        }
        p.then(resolve, reject).finally(() => {
          this.active--
          const next = this.waiting.shift()
          if (next) next()
        })
      }
      if (this.active < this.limit) run()
      else this.waiting.push(run)
    })
  }
}
