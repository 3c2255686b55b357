// Without WeChat's phone button: a phone and a texted code sign in (the first time makes the
// account, with the phone verified); the code is read where the text went (the gateway
// stand-in), and "get a code" counts down the minute until another may be asked for.
const { setup, open, tap, text, api, lastCode } = require('../helpers')

async function type(comp, selector, value) {
  comp.querySelector(selector).dispatchEvent('input', { detail: { value } })
  await new Promise((resolve) => setTimeout(resolve, 10))
}

test('a phone and a texted code sign in and make the account', async () => {
  const wx = setup({ openid: 'o-sms' })
  const login = await open('login', {})
  expect(text(login, '.sms .sms-send')).toBe('获取验证码')

  await type(login, '.sms-phone', '13912340001')
  await login.instance.onSmsSend()

  expect(login.instance.data.error).toBe('')
  expect(login.instance.data.smsWait).toBeGreaterThan(50)
  expect(text(login, '.sms .sms-send')).toMatch(/^\d+ 秒后重新获取$/)
  const code = await lastCode('+8613912340001')
  expect(code).toMatch(/^\d{6}$/)
  await type(login, '.sms-code', code)
  await login.instance.onSmsLogin()

  expect(login.instance.data.error).toBe('')
  const token = wx.getStorageSync('yuyue_token')
  const me = (await api('/me', { token })).data
  expect([me.phone, me.phone_verified]).toEqual(['+8613912340001', true])
  expect(wx.__state.navigations[wx.__state.navigations.length - 1][1]).toBe('/pages/home/home')
})

test('a wrong code says so and signs nobody in', async () => {
  const wx = setup({ openid: 'o-sms-wrong', language: 'en' })
  const login = await open('login', {})
  await type(login, '.sms-phone', '13912340002')
  await login.instance.onSmsSend()
  const code = await lastCode('+8613912340002')

  await type(login, '.sms-code', code === '000000' ? '111111' : '000000')
  await login.instance.onSmsLogin()

  expect(login.instance.data.error).toMatch(/code is wrong/)
  expect(wx.getStorageSync('yuyue_token')).toBeFalsy()
})
