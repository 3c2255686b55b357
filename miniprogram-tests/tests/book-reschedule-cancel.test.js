// The whole way through, against the real server: browse → log in with WeChat (and bind a
// phone) → book → see it listed → reschedule → cancel.
const { setup, open, tap, text, texts, lastNavigation, api, standinReceived } = require('../helpers')

let wx
beforeAll(() => {
  wx = setup({ openid: 'o-flow' })
})

test('a customer books, finds, moves and cancels an appointment', async () => {
  const phoneCallsBefore = (await standinReceived()).requests.filter(
    (r) => r.endpoint === 'getuserphonenumber'
  ).length
  // Browse: the business, then the first service.
  const home = await open('home')
  await tap(home.querySelectorAll('.service')[0])
  let nav = lastNavigation(wx)
  expect(nav.path).toBe('/pages/book/book')

  // Choose: a week strip of seven days, full days greyed, the first free time.
  const book = await open('book', nav.query)
  expect(book.instance.data.error).toBe('')
  expect(book.querySelectorAll('.day').length).toBe(7)
  expect(text(book, '.zone')).toBe('(北京时间)')
  // A day later in the week, so the time stays clear of the service's cut-offs.
  const open_days = book.querySelectorAll('.day').filter((day) => !day.dom.className.includes('full'))
  expect(open_days.length).toBeGreaterThan(1)
  await tap(open_days[open_days.length - 1])
  expect(book.instance.data.day).toBe(book.instance.data.days.filter((d) => !d.full).pop().date)
  const times = book.querySelectorAll('.time')
  expect(times.length).toBeGreaterThan(1)
  await tap(times[0])
  nav = lastNavigation(wx)
  expect(nav.path).toBe('/pages/confirm/confirm')

  // Confirm without being logged in: wx.login makes a new account, which needs a phone.
  const confirm = await open('confirm', nav.query)
  expect(text(confirm, '.when')).toMatch(/（北京时间，UTC\+08:00）$/)
  confirm.instance.onNotes({ detail: { value: '想剪短一点' } })
  await confirm.instance.onConfirm()
  expect(lastNavigation(wx)).toMatchObject({ kind: 'navigateTo', path: '/pages/login/login' })

  const login = await open('login', { back: '1' })
  await login.instance.onWeChat()
  expect(login.querySelector('.phone')).toBeTruthy()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340001') } })
  expect(lastNavigation(wx).kind).toBe('navigateBack')
  const token = wx.getStorageSync('yuyue_token')
  expect((await api('/me', { token })).data.phone).toBe('+8613812340001')

  // Back on confirm: consent asked for the three templates and recorded, then booked once.
  await confirm.instance.onConfirm()
  expect(confirm.instance.data.error).toBe('')
  nav = lastNavigation(wx)
  expect(nav).toMatchObject({ kind: 'redirectTo', path: '/pages/booked/booked' })
  expect(wx.__state.subscribed).toEqual(['tmpl-confirmation', 'tmpl-reminder', 'tmpl-change'])
  const consent = wx.__state.requests.find((r) => r.url.endsWith('/me/wechat/subscriptions'))
  expect(consent.status).toBe(200)
  const booking = wx.__state.requests.find((r) => r.method === 'POST' && /\/appointments$/.test(r.url))
  expect(booking.header['Idempotency-Key']).toMatch(/^mp-/)
  expect(JSON.parse(booking.body)).toMatchObject({ channel: 'miniprogram', notes: '想剪短一点' })
  const id = nav.query.id

  // Booked: the time with its zone, and the phone's calendar.
  const booked = await open('booked', { id })
  expect(text(booked, '.when')).toContain('UTC+08:00')
  await tap(booked.querySelector('.calendar'))
  const [entry] = wx.__state.calendar
  expect(typeof entry.startTime).toBe('number')
  expect(entry.endTime).toBeGreaterThan(entry.startTime)

  // My appointments: listed under upcoming with its status label.
  const mine = await open('appointments')
  expect(texts(mine, '.upcoming .appointment').length).toBe(1)
  expect(['已确认', '待确认']).toContain(text(mine, '.upcoming .status'))

  // Reschedule: the detail page → the same picker → another time.
  const detail = await open('appointment', { id })
  await tap(detail.querySelector('.reschedule'))
  nav = lastNavigation(wx)
  expect(nav.query.reschedule).toBe(id)
  const picker = await open('book', nav.query)
  const before = (await api(`/appointments/${id}`, { token })).data.start
  const other = picker.instance.data.times.map((t) => t.start).filter((s) => s !== before)
  await picker.instance.onTime({ currentTarget: { dataset: { start: other[other.length - 1] } } })
  expect(picker.instance.data.error).toBe('')
  expect(lastNavigation(wx)).toMatchObject({ kind: 'redirectTo', query: { id } })
  const moved = (await api(`/appointments/${id}`, { token })).data
  expect(moved.start).toBe(other[other.length - 1])

  // Cancel with a reason.
  const again = await open('appointment', { id })
  again.instance.onReason({ detail: { value: '临时有事' } })
  await again.instance.onCancel()
  expect(text(again, '.status')).toBe('已取消')
  expect(again.querySelector('.cancel')).toBeFalsy()
  const listed = await open('appointments')
  expect(texts(listed, '.past .status')).toEqual(['已取消'])

  // WeChat was asked for the phone number once, with an access token.
  const received = await standinReceived()
  const phone = received.requests.filter((r) => r.endpoint === 'getuserphonenumber')
  expect(phone.length).toBe(phoneCallsBefore + 1)
  expect(phone[phone.length - 1].query.access_token).toMatch(/^at_/)
})
