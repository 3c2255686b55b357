// A scanned mini program code opens pages/home/home with the business's slug as `scene`
// (URL-encoded by WeChat); a shared link names it in `b`. The pages after home book there.
const { setup, open, text } = require('../helpers')
const business = require('../../miniprogram/utils/business')

let wx
beforeEach(() => {
  wx = setup()
  business.reset()
})

const paths = () =>
  wx.__state.requests.map((r) => r.url.replace(process.env.YUYUE_TEST_API, '').split('?')[0])

test('the scene of a scanned code names the business the home page opens', async () => {
  const home = await open('home', { scene: encodeURIComponent('demo') })

  expect(home.instance.data.error).toBe('')
  expect(text(home, '.business-name')).toBe('悦己美发沙龙')
  expect(paths()).toContain('/businesses/demo')
  expect(wx.getStorageSync('business')).toBe('demo')
})

test('a business that does not exist says so instead of showing the default one', async () => {
  const home = await open('home', { scene: encodeURIComponent('no-such-shop') })

  expect(home.instance.data.error).not.toBe('')
  expect(paths()).toContain('/businesses/no-such-shop')
  expect(paths()).not.toContain('/businesses/demo')
})

test('a shared link names the business in b, and the booking pages follow it', async () => {
  await open('home', { b: 'no-such-shop' })
  wx.__state.requests.length = 0

  await open('book', { service: '1' })

  expect(paths().every((p) => p.startsWith('/businesses/no-such-shop'))).toBe(true)
})

test('a scene that is not a slug is ignored', () => {
  expect(business.fromOptions({ scene: encodeURIComponent('../../x') })).toBe('')
  expect(business.fromOptions({ scene: '%E0%A4%A' })).toBe('')
  expect(business.fromOptions({})).toBe('')
})
