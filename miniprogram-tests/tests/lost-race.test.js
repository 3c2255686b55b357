// Someone else takes the time between choosing and confirming: the page shows the API's
// nearest free times, and one tap books one of them.
const { setup, open, tap, text, lastNavigation, api } = require('../helpers')

let wx
beforeAll(async () => {
  wx = setup({ openid: 'o-race' })
  // This WeChat user has logged in and bound a phone before.
  const login = await open('login', {})
  await login.instance.onWeChat()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340002') } })
})

test('a lost race offers the nearest free times, and one of them books', async () => {
  const home = await open('home')
  await tap(home.querySelectorAll('.service')[0])
  const book = await open('book', lastNavigation(wx).query)
  // One staff member, so the competitor can take exactly this time.
  await tap(book.querySelectorAll('.staff')[0])
  const staffId = book.instance.data.staffId
  expect(staffId).toBeTruthy()
  // The tap reloads the week for that staff member over HTTP, which may outlast the tap's own
  // wait: until it lands, the days and times shown are everyone's. Wait for that week.
  await book.instance.loadWeek()
  const days = book.querySelectorAll('.day').filter((day) => !day.dom.className.includes('full'))
  await tap(days[days.length - 1])
  await tap(book.querySelectorAll('.time')[0])
  const nav = lastNavigation(wx)
  expect(nav.query.staff).toBe(String(staffId))
  const confirm = await open('confirm', nav.query)
  const start = confirm.instance.data.start

  // Meanwhile the demo customer books that very time on the web.
  const rival = await api('/auth/login', {
    method: 'POST',
    body: { username: 'customer', password: 'yuyue-customer-demo' },
  })
  const taken = await api('/businesses/demo/appointments', {
    method: 'POST',
    token: rival.data.token,
    body: { service_id: Number(nav.query.service), start, staff_id: staffId },
  })
  expect(taken.statusCode).toBe(201)

  await confirm.instance.onConfirm()

  expect(text(confirm, '.error')).toBeTruthy()
  const offered = confirm.querySelectorAll('.alternative')
  expect(offered.length).toBeGreaterThan(0)
  expect(offered[0].dom.textContent).toMatch(/北京时间/)
  expect(wx.__state.navigations.filter(([kind]) => kind === 'redirectTo')).toEqual([])
  const alternative = confirm.instance.data.alternatives[0].start
  expect(alternative).not.toBe(start)

  await confirm.instance.onAlternative({ currentTarget: { dataset: { start: alternative } } })

  const booked = lastNavigation(wx)
  expect(booked).toMatchObject({ kind: 'redirectTo', path: '/pages/booked/booked' })
  const token = wx.getStorageSync('yuyue_token')
  const appointment = (await api(`/appointments/${booked.query.id}`, { token })).data
  expect(appointment.start).toBe(alternative)
  // Two attempts, two idempotency keys: the second is a new booking, not a replay.
  const keys = wx.__state.requests
    .filter((r) => r.method === 'POST' && /\/appointments$/.test(r.url))
    .map((r) => r.header['Idempotency-Key'])
  expect(keys.length).toBe(2)
  expect(new Set(keys).size).toBe(2)
})
