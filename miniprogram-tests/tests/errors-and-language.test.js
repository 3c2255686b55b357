// Offline, a failing server, and English: what the person reads.
const http = require('http')
const path = require('path')
const { setup, open, tap, text, texts, MINIPROGRAM } = require('../helpers')

const config = require(path.join(MINIPROGRAM, 'config'))

test('offline, the page says so and retry loads it', async () => {
  const wx = setup()
  wx.__state.offline = true

  const home = await open('home')

  expect(text(home, '.error')).toContain('网络不可用')
  expect(texts(home, '.service-name')).toEqual([])
  wx.__state.offline = false
  await home.instance.load()
  expect(text(home, '.error')).toBeNull()
  expect(texts(home, '.service-name').length).toBeGreaterThan(0)
})

test('a server error is a clear message, not a blank page', async () => {
  setup()
  const broken = http.createServer((request, response) => {
    response.writeHead(502, { 'Content-Type': 'text/html' })
    response.end('<h1>Bad Gateway</h1>')
  })
  await new Promise((resolve) => broken.listen(0, '127.0.0.1', resolve))
  config.apiBase = `http://127.0.0.1:${broken.address().port}/api/v1`
  try {
    const home = await open('home')
    expect(text(home, '.error')).toContain('服务器暂时出错')
    expect(home.querySelector('.retry')).toBeTruthy()
  } finally {
    // The client's keep-alive socket would hold the server open for its 5 s idle timeout, past
    // the end of the run: close it with the server.
    await new Promise((resolve) => {
      broken.close(resolve)
      broken.closeAllConnections()
    })
  }
})

test('in English WeChat the pages and the API answer in English', async () => {
  const wx = setup({ language: 'en' })

  const home = await open('home')

  expect(texts(home, '.service .muted')[0]).toMatch(/^(\d+ min|\d+ hours?|\d+ h \d+ min)$/)
  expect(wx.__state.requests.every((r) => r.header['Accept-Language'] === 'en')).toBe(true)
  await tap(home.querySelectorAll('.service')[0])
  const [, url] = wx.__state.navigations[0]
  const book = await open('book', { service: url.split('service=')[1] })
  expect(text(book, '.anyone')).toBe('Anyone (earliest free)')
  expect(texts(book, '.weekday').every((day) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/.test(day))).toBe(true)
})

test('an API refusal shows the API\'s own message in the person\'s language', async () => {
  setup({ language: 'en', openid: 'o-refused' })

  const detail = await open('appointment', { id: 'no-such-appointment' })

  expect(text(detail, '.error')).toContain('Not found')
})

test('a suspended business shows the API\'s message and no retry', async () => {
  setup()
  const closed = http.createServer((request, response) => {
    response.writeHead(403, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify({
      error: { code: 'business_suspended', message: '该商家暂停营业。', details: null },
    }))
  })
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const before = config.apiBase
  config.apiBase = `http://127.0.0.1:${closed.address().port}/api/v1`
  try {
    const home = await open('home')
    expect(text(home, '.error')).toContain('该商家暂停营业。')
    expect(home.querySelector('.retry')).toBeFalsy()
  } finally {
    config.apiBase = before
    closed.close()
  }
})
