// An appointment at a shop in another zone than its business's is shown in the shop's zone,
// as the API names it (`zone`), on the appointment, in the list and on the booked page. The
// shop belongs to a business of its own, so the demo the other tests book at stays as it is.
const { setup, open, text, texts, api } = require('../helpers')

const SLUG = 'zone-test'
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].reduce(
  (week, day) => Object.assign(week, { [day]: [['09:00', '18:00']] }),
  {}
)

async function login(username, password) {
  const answer = await api('/auth/login', { method: 'POST', body: { username, password } })
  expect(answer.statusCode).toBe(200)
  return answer.data.token
}

let wx
let id
beforeAll(async () => {
  wx = setup({ openid: 'o-zone' })
  const owner = await login('owner', 'yuyue-owner-demo')
  const business = await api('/businesses', {
    method: 'POST',
    token: owner,
    body: { slug: SLUG, name: '悦己东京', timezone: 'Asia/Shanghai' },
  })
  expect(business.statusCode).toBe(201)
  const shop = await api(`/businesses/${SLUG}/locations`, {
    method: 'POST',
    token: owner,
    body: { name: '东京店', address: '東京都渋谷区 1-1', timezone: 'Asia/Tokyo' },
  })
  expect(shop.statusCode).toBe(201)
  const created = await api(`/businesses/${SLUG}/services`, {
    method: 'POST',
    token: owner,
    body: { name: '洗剪吹', duration_minutes: 60, price: '128.00' },
  })
  expect(created.statusCode).toBe(201)
  const service = created.data
  const staff = await api(`/businesses/${SLUG}/staff`, {
    method: 'POST',
    token: owner,
    body: { name: 'Ken', service_ids: [service.id], location_id: shop.data.id, hours: EVERY_DAY },
  })
  expect(staff.statusCode).toBe(201)

  const from = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10)
  const to = new Date(Date.now() + 8 * 86400000).toISOString().slice(0, 10)
  const free = await api(
    `/businesses/${SLUG}/availability?service_id=${service.id}&staff_id=${staff.data.id}&location_id=${shop.data.id}&date_from=${from}&date_to=${to}`
  )
  expect(free.data.timezone).toBe('Asia/Tokyo')
  const customer = await login('customer', 'yuyue-customer-demo')
  const booked = await api(`/businesses/${SLUG}/appointments`, {
    method: 'POST',
    token: customer,
    body: { service_id: service.id, staff_id: staff.data.id, start: free.data.slots[0].start },
  })
  expect(booked.statusCode).toBe(201)
  expect(booked.data.zone).toBe('Asia/Tokyo')
  id = booked.data.id
  wx.setStorageSync('yuyue_token', customer)
})

test("the appointment names the shop's zone, not the business's", async () => {
  const page = await open('appointment', { id })
  expect(text(page, '.when')).toMatch(/（日本时间，UTC\+09:00）$/)
})

test("the list names the shop's zone", async () => {
  const page = await open('appointments')
  expect(texts(page, '.when').some((when) => /日本时间，UTC\+09:00/.test(when))).toBe(true)
})

test("the booked page names the shop's zone", async () => {
  const page = await open('booked', { id })
  expect(text(page, '.when')).toContain('日本时间')
})
