// A token that stopped working (expired, or logged out elsewhere) is replaced by a silent
// wx.login, and the request goes through; the person sees no error.
const { setup, open, texts, api } = require('../helpers')

test('an expired token logs in again silently and the page loads', async () => {
  const wx = setup({ openid: 'o-expired' })
  const login = await open('login', {})
  await login.instance.onWeChat()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340003') } })
  const old = wx.getStorageSync('yuyue_token')
  // The server forgets the token (as at expiry or a logout on another device).
  expect((await api('/auth/logout', { method: 'POST', token: old })).statusCode).toBe(204)
  wx.__state.requests.length = 0

  const mine = await open('appointments')

  expect(mine.instance.data.error).toBe('')
  expect(mine.instance.data.needsLogin).toBe(false)
  const fresh = wx.getStorageSync('yuyue_token')
  expect(fresh).not.toBe(old)
  expect((await api('/me', { token: fresh })).data.phone).toBe('+8613812340003')
  const calls = wx.__state.requests.map((r) => [r.url.replace(process.env.YUYUE_TEST_API, ''), r.status])
  expect(calls).toEqual([
    ['/appointments?order=start&limit=200', 401],
    ['/auth/wechat', 200],
    ['/appointments?order=start&limit=200', 200],
  ])
  expect(texts(mine, '.upcoming .appointment')).toEqual([])
})

test('a first-time WeChat user is sent to the login page to bind a phone', async () => {
  const wx = setup({ openid: 'o-newcomer' })

  const mine = await open('appointments')

  expect(mine.instance.data.needsLogin).toBe(true)
  expect(mine.querySelector('.login')).toBeTruthy()
})
