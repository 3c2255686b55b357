// A weekly series from the mini program (docs/booking.md#series), against the real server: the
// confirm page offers it where the business allows it; the series page checks every date, a
// closed day offers its nearest free times, and booking takes the chosen ones together.
const { setup, open, tap, text, texts, lastNavigation, api } = require('../helpers')
const tenant = require('../../miniprogram/utils/business')

const SLUG = 'series-test'
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].reduce(
  (week, day) => Object.assign(week, { [day]: [['09:00', '18:00']] }),
  {}
)

async function login(username, password) {
  const answer = await api('/auth/login', { method: 'POST', body: { username, password } })
  expect(answer.statusCode).toBe(200)
  return answer.data.token
}

function day(offset) {
  return new Date(Date.now() + offset * 86400000 + 8 * 3600000).toISOString().slice(0, 10)
}

let wx
let service
beforeAll(async () => {
  wx = setup({ openid: 'o-series' })
  const owner = await login('owner', 'yuyue-owner-demo')
  const business = await api('/businesses', {
    method: 'POST',
    token: owner,
    body: { slug: SLUG, name: '康复理疗', timezone: 'Asia/Shanghai' },
  })
  expect(business.statusCode).toBe(201)
  const allowed = await api(`/businesses/${SLUG}`, {
    method: 'PATCH',
    token: owner,
    body: { customers_book_series: true },
  })
  expect(allowed.statusCode).toBe(200)
  const created = await api(`/businesses/${SLUG}/services`, {
    method: 'POST',
    token: owner,
    body: { name: '理疗', duration_minutes: 60, price: '200.00', allows_series: true },
  })
  expect(created.statusCode).toBe(201)
  service = created.data
  const staff = await api(`/businesses/${SLUG}/staff`, {
    method: 'POST',
    token: owner,
    body: { name: 'Li', service_ids: [service.id], hours: EVERY_DAY },
  })
  expect(staff.statusCode).toBe(201)
  // The second week's day is closed.
  const closed = await api(`/businesses/${SLUG}/staff/${staff.data.id}/overrides`, {
    method: 'POST',
    token: owner,
    body: { date: day(10), closed: true },
  })
  expect(closed.statusCode).toBeLessThan(300)
  wx.setStorageSync('yuyue_token', await login('customer', 'yuyue-customer-demo'))
  tenant.reset()
  wx.setStorageSync('business', SLUG)
})

test('the confirm page offers a series where the business allows it', async () => {
  const confirm = await open('confirm', { service: String(service.id), start: `${day(3)}T10:00:00+08:00` })
  expect(confirm.instance.data.seriesOffered).toBe(true)
  await tap(confirm.querySelector('.series-offer'))
  expect(lastNavigation(wx).path).toBe('/pages/series/series')
})

test('a closed day offers alternatives, and the chosen dates are booked together', async () => {
  const page = await open('series', {
    service: String(service.id),
    start: encodeURIComponent(`${day(3)}T10:00:00+08:00`),
  })
  page.instance.onCount({ detail: { value: 0 } }) // 2 occurrences
  await page.instance.onCheck()
  expect(page.instance.data.error).toBe('')
  const rows = page.instance.data.rows
  expect(rows.map((row) => row.free)).toEqual([true, false])
  expect(rows[1].alternatives.length).toBeGreaterThan(0)
  expect(texts(page, '.occurrence.conflict .alternative').length).toBe(rows[1].alternatives.length)
  await tap(page.querySelector('.occurrence.conflict .alternative'))
  expect(page.instance.data.rows[1].pick).toBe(rows[1].alternatives[0].start)
  await page.instance.onBook()
  expect(page.instance.data.error).toBe('')
  expect(lastNavigation(wx)).toMatchObject({ kind: 'redirectTo', path: '/pages/appointments/appointments' })
  const mine = await api(`/appointments?date_from=${day(2)}&date_to=${day(12)}&limit=100`, {
    token: wx.getStorageSync('yuyue_token'),
  })
  const booked = mine.data.items.filter((a) => a.business.slug === SLUG)
  expect(booked.length).toBe(2)
  expect(booked.every((a) => a.in_series)).toBe(true)
  expect(text(page, '.first')).toContain('10:00')
})
