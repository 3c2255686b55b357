// The check-in code (核销) on the appointment page: its digits and its QR code, drawn by the
// server as a PNG for the appointment's customer only (no QR library in the mini program).
const { setup, open, text, api } = require('../helpers')

async function login(username, password) {
  const answer = await api('/auth/login', { method: 'POST', body: { username, password } })
  expect(answer.statusCode).toBe(200)
  return answer.data.token
}

let wx
let booked
let customer
beforeAll(async () => {
  wx = setup({ openid: 'o-checkin' })
  customer = await login('customer', 'yuyue-customer-demo')
  const services = await api('/businesses/demo/services')
  const service = services.data.items ? services.data.items[0] : services.data[0]
  const from = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10)
  const to = new Date(Date.now() + 9 * 86400000).toISOString().slice(0, 10)
  const free = await api(
    `/businesses/demo/availability?service_id=${service.id}&date_from=${from}&date_to=${to}`
  )
  const slot = free.data.slots[free.data.slots.length - 1]
  const answer = await api('/businesses/demo/appointments', {
    method: 'POST',
    token: customer,
    body: { service_id: service.id, staff_id: slot.staff_ids[0], start: slot.start },
  })
  expect(answer.statusCode).toBe(201)
  booked = answer.data
  wx.setStorageSync('yuyue_token', customer)
})

test('the appointment page shows the code and its QR code', async () => {
  expect(booked.checkin_code).toMatch(/^\d{6}$/)
  const page = await open('appointment', { id: booked.id })
  expect(page.instance.data.error).toBe('')
  expect(text(page, '.checkin .title')).toBe('核销码')
  expect(text(page, '.checkin-digits')).toBe(booked.checkin_code)
  expect(page.instance.data.qr).toMatch(/^data:image\/png;base64,/)
  expect(page.querySelector('.checkin-qr')).toBeTruthy()
})

test('only its customer gets the QR code', async () => {
  const owner = await login('owner', 'yuyue-owner-demo')
  const answer = await api(`/appointments/${booked.id}/checkin-qr`, { token: owner })
  expect(answer.statusCode).toBe(404)
  const mine = await api(`/appointments/${booked.id}/checkin-qr`, { token: customer })
  expect(mine.data.code).toBe(booked.checkin_code)
})

test('a cancelled appointment shows no code', async () => {
  await api(`/appointments/${booked.id}/cancel`, { method: 'POST', token: customer, body: {} })
  const page = await open('appointment', { id: booked.id })
  expect(page.querySelector('.checkin')).toBeFalsy()
  expect(page.instance.data.qr).toBe('')
})
