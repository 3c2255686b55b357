const { setup, open, text, texts } = require('../helpers')

let wx
beforeEach(() => {
  wx = setup()
})

test('the home page lists the services with duration and price, and the shops', async () => {
  const home = await open('home')

  expect(home.instance.data.error).toBe('')
  expect(text(home, '.business-name')).toBe('悦己美发沙龙')
  const services = texts(home, '.service-name')
  expect(services.length).toBeGreaterThan(3)
  expect(texts(home, '.price')[0]).toMatch(/^¥\d+\.\d{2}$/)
  expect(texts(home, '.service .muted')[0]).toMatch(/^(\d+ 分钟|\d+ 小时|\d+ 小时 \d+ 分钟)$/)
  expect(texts(home, '.shop').length).toBe(2)
  expect(wx.__state.requests.every((r) => r.header['Accept-Language'] === 'zh-Hans')).toBe(true)
})
