// The waitlist (候补, docs/waitlist.md): on a full day the customer joins the waitlist from the
// booking page; when someone cancels, the server's worker offers them the time, and the offer
// page books it with one tap.
const { setup, open, tap, text, lastNavigation, api, simulate } = require('../helpers')

let wx
let token
beforeAll(async () => {
  wx = setup({ openid: 'o-waiter' })
  const login = await open('login', {})
  await login.instance.onWeChat()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340077') } })
  token = wx.getStorageSync('yuyue_token')
})

// Someone else books every free time of one staff member's day, three weeks ahead (away from
// the days the other tests book).
async function fillADay(serviceId, staffId) {
  const rival = await api('/auth/register', {
    method: 'POST',
    body: { username: 'rival-waitlist', password: 'a-long-Secret-77', phone: '13812340078' },
  })
  const rivalToken = rival.data.token
  const from = new Date(Date.now() + 21 * 86400000).toISOString().slice(0, 10)
  const to = new Date(Date.now() + 27 * 86400000).toISOString().slice(0, 10)
  const free = await api(
    `/businesses/demo/availability?service_id=${serviceId}&staff_id=${staffId}&date_from=${from}&date_to=${to}`,
  )
  const day = free.data.slots[0].start.slice(0, 10)
  const ofDay = free.data.slots.filter((slot) => slot.start.slice(0, 10) === day)
  const booked = []
  for (const slot of ofDay) {
    const made = await api('/businesses/demo/appointments', {
      method: 'POST',
      token: rivalToken,
      body: { service_id: serviceId, start: slot.start, staff_id: staffId },
    })
    if (made.statusCode === 201) booked.push(made.data.id)
  }
  return { day, booked, rivalToken }
}

async function waitForOffer() {
  for (let i = 0; i < 60; i++) {
    const mine = (await api('/waitlist', { token })).data.items
    if (mine.length && mine[0].state === 'offered') return mine[0]
    await simulate.sleep(250)
  }
  throw new Error('no offer came')
}

test('a full day offers the waitlist; a cancellation becomes an offer that books', async () => {
  const home = await open('home')
  await tap(home.querySelectorAll('.service')[0])
  const query = lastNavigation(wx).query
  const book = await open('book', query)
  await tap(book.querySelectorAll('.staff')[0])
  const staffId = book.instance.data.staffId
  const serviceId = Number(query.service)
  const { day, booked, rivalToken } = await fillADay(serviceId, staffId)
  expect(booked.length).toBeGreaterThan(0)

  book.setData({ weekStart: day })
  await book.instance.loadWeek()
  const full = book.querySelectorAll('.day').find((node) => node.dom.className.includes('full'))
  expect(full).toBeTruthy()
  await tap(book.querySelectorAll('.day')[0])
  expect(book.instance.data.waitDay).toBe(day)
  expect(text(book, '.day-full')).toMatch(/约满/)
  expect(book.querySelector('.join-waitlist')).toBeTruthy()
  // The tap's request outlasts the tap's own wait: call what it calls, and wait for it.
  await book.instance.onJoinWaitlist()
  expect(book.instance.data.error).toBe('')
  const mine = (await api('/waitlist', { token })).data.items
  expect(mine.map((entry) => [entry.state, entry.date_from, entry.channel])).toEqual([
    ['waiting', day, 'miniprogram'],
  ])

  // The rival gives one time back; the worker offers it to the waiter.
  await api(`/appointments/${booked[0]}/cancel`, { method: 'POST', token: rivalToken, body: {} })
  const entry = await waitForOffer()

  const offer = await open('offer', { id: entry.offer.id })
  expect(text(offer, '.title')).toBe('候补到了')
  expect(text(offer, '.held')).toMatch(/为你保留至/)
  expect(offer.querySelector('.accept')).toBeTruthy()
  await offer.instance.onAccept()
  expect(lastNavigation(wx)).toMatchObject({
    kind: 'redirectTo',
    path: '/pages/appointment/appointment',
    query: { id: entry.offer.id },
  })
  const accepted = (await api(`/appointments/${entry.offer.id}`, { token })).data
  expect(['confirmed', 'pending']).toContain(accepted.status)
})
