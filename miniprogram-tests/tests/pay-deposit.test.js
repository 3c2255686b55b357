// Paying a deposit in the mini program, against the real server and the WeChat Pay stand-in:
// book a service paid by a deposit → the pay step with its countdown → close WeChat Pay's sheet
// (still held, "pay now") → 待支付 with "pay now" and the time left in my appointments → pay →
// booked once the server has WeChat Pay's word → cancel, told first what comes back →
// refunded. A hold left unpaid is released, and says why. Cancelled after the cut-off, the
// deposit is kept, and the dialog says so before.
//
// wx.requestPayment is WeChat's, not ours: here the test provides it. Like WeChat's client it
// checks the paySign (RSA over appId, timeStamp, nonceStr and package) with the merchant's
// public key, so a wrong signature fails; then the stand-in pays and notifies the server.
const crypto = require('crypto')
const { setup, open, tap, text, texts, lastNavigation, api } = require('../helpers')
const { httpJson } = require('../wx-shim')

const PAY = process.env.YUYUE_TEST_PAY

function payControl(path, body) {
  return httpJson(PAY + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

function signedByTheMerchant(options) {
  const message = `${process.env.YUYUE_TEST_APPID}\n${options.timeStamp}\n${options.nonceStr}\n${options.package}\n`
  return crypto.verify(
    'RSA-SHA256',
    Buffer.from(message),
    process.env.YUYUE_TEST_MERCHANT_KEY,
    Buffer.from(options.paySign || '', 'base64')
  )
}

let wx
// What the person does in WeChat Pay's sheet: 'cancel' closes it, 'pay' pays.
let sheet = 'cancel'
const sheets = []

beforeAll(async () => {
  wx = setup({ openid: 'o-deposit' })
  wx.requestPayment = (options) => {
    sheets.push(options)
    const checked = options.signType === 'RSA' && signedByTheMerchant(options)
    setTimeout(async () => {
      if (!checked) return options.fail({ errMsg: 'requestPayment:fail sign error' })
      if (sheet === 'cancel') return options.fail({ errMsg: 'requestPayment:fail cancel' })
      const prepayId = options.package.replace(/^prepay_id=/, '')
      const paid = await payControl('/pay', { prepay_id: prepayId })
      expect(paid.data.notified).toBe(204)
      return options.success({ errMsg: 'requestPayment:ok' })
    }, 0)
  }
})

async function depositService() {
  const home = await open('home')
  const services = home.querySelectorAll('.service')
  const deposit = services.find((node) => node.dom.textContent.includes('定金烫发'))
  expect(deposit).toBeTruthy()
  return deposit
}

async function chooseLastDay(book) {
  const days = book.querySelectorAll('.day').filter((day) => !day.dom.className.includes('full'))
  await tap(days[days.length - 1])
}

test('a deposit is paid in WeChat Pay, then cancelled before the cut-off and refunded', async () => {
  // Book: the deposit service, a day later in the week (well before its 24-hour cut-off).
  await tap(await depositService())
  const book = await open('book', lastNavigation(wx).query)
  await chooseLastDay(book)
  await tap(book.querySelectorAll('.time')[0])
  const confirm = await open('confirm', lastNavigation(wx).query)
  await confirm.instance.onConfirm()
  const login = await open('login', { back: '1' })
  await login.instance.onWeChat()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340077') } })
  await confirm.instance.onConfirm()
  expect(confirm.instance.data.error).toBe('')
  let nav = lastNavigation(wx)
  expect(nav).toMatchObject({ kind: 'redirectTo', path: '/pages/pay/pay' })
  const id = nav.query.id
  const token = wx.getStorageSync('yuyue_token')

  // The pay step: what to pay, and the 15 minutes to pay it counting down.
  const pay = await open('pay', { id })
  expect(text(pay, '.amount')).toBe('¥50.00')
  expect(text(pay, '.countdown')).toMatch(/^1[45]:\d\d$/)
  expect(text(pay, '.pay')).toBe('微信支付')

  // The person closes WeChat Pay's sheet: still held, and "pay now" tries again.
  sheet = 'cancel'
  await pay.instance.onPay()
  expect(pay.instance.data.error).toBe('')
  expect(sheets.length).toBe(1)
  expect(signedByTheMerchant(sheets[0])).toBe(true)
  // A signature over anything else is refused, as WeChat would.
  expect(signedByTheMerchant(Object.assign({}, sheets[0], { nonceStr: 'x' + sheets[0].nonceStr }))).toBe(false)
  const ask = wx.__state.requests.find((r) => r.method === 'POST' && r.url.endsWith(`/appointments/${id}/pay`))
  expect(JSON.parse(ask.body)).toEqual({ method: 'wechat_jsapi' })
  expect(text(pay, '.note')).toContain('时间仍为你保留')
  expect(text(pay, '.pay')).toBe('立即支付')
  expect((await api(`/appointments/${id}`, { token })).data.status).toBe('awaiting_payment')
  pay.instance.onUnload()

  // My appointments: 待支付, the time left, and "pay now".
  const mine = await open('appointments')
  expect(text(mine, '.upcoming .status')).toBe('待支付')
  expect(text(mine, '.upcoming .countdown')).toMatch(/^剩余支付时间 1[45]:\d\d$/)
  await tap(mine.querySelector('.upcoming .pay-now'))
  nav = lastNavigation(wx)
  expect(nav).toMatchObject({ kind: 'navigateTo', path: '/pages/pay/pay', query: { id } })
  mine.instance.onUnload()

  // Pay: the sheet is signed, the stand-in pays and tells the server, the page waits for it.
  sheet = 'pay'
  const again = await open('pay', { id })
  await again.instance.onPay()
  expect(again.instance.data.error).toBe('')
  expect(signedByTheMerchant(sheets[sheets.length - 1])).toBe(true)
  expect(lastNavigation(wx)).toMatchObject({ kind: 'redirectTo', path: '/pages/booked/booked', query: { id } })
  const paid = (await api(`/appointments/${id}`, { token })).data
  expect(paid.status).toBe('confirmed')
  expect(paid.payment).toMatchObject({ state: 'paid', amount_paid: '50.00', refund_if_cancelled_now: '50.00' })
  again.instance.onUnload()

  // The appointment: what was paid, and before cancelling, what comes back.
  const detail = await open('appointment', { id })
  expect(text(detail, '.paid')).toBe('已支付 ¥50.00')
  expect(text(detail, '.refund-notice')).toBe('现在取消，已付的 ¥50.00 将全额退回。')
  expect(text(detail, '.refund-until')).toMatch(/前取消可全额退款。$/)
  const modals = []
  const showModal = wx.showModal
  wx.showModal = (options) => {
    modals.push(options)
    showModal(options)
  }
  await detail.instance.onCancel()
  wx.showModal = showModal
  expect(modals.map((m) => m.content)).toEqual(['现在取消，已付的 ¥50.00 将全额退回。'])
  expect(text(detail, '.status')).toBe('已取消')

  // The worker applies the refund policy: all 5000 fen back through WeChat Pay.
  await payControl('/sweep', { minutes: 0 })
  const refunds = (await payControl('/refunds')).data
  expect(refunds.map((r) => r.refund)).toEqual([5000])
  expect(text(await open('appointment', { id }), '.paid')).toBe('已支付 ¥50.00 · 退款中')
  // WeChat Pay finishes it and says so.
  expect(Object.values((await payControl('/refunds', {})).data)).toEqual([204])
  const after = await open('appointment', { id })
  expect(text(after, '.paid')).toBe('已支付 ¥50.00 · 已退款 ¥50.00')
})

test('a hold left unpaid is released and says why', async () => {
  await tap(await depositService())
  const book = await open('book', lastNavigation(wx).query)
  await chooseLastDay(book)
  const times = book.querySelectorAll('.time')
  await tap(times[times.length - 1])
  const confirm = await open('confirm', lastNavigation(wx).query)
  await confirm.instance.onConfirm()
  const nav = lastNavigation(wx)
  expect(nav.path).toBe('/pages/pay/pay')
  const id = nav.query.id

  // The window ends and the worker's sweep releases the hold.
  const swept = (await payControl('/sweep', { minutes: 16 })).data
  expect(swept.released).toBe(1)

  const pay = await open('pay', { id })
  expect(text(pay, '.expired')).toBe('未在时限内支付，已取消')
  expect(pay.querySelector('.pay')).toBeFalsy()
  const detail = await open('appointment', { id })
  expect(text(detail, '.status')).toBe('已取消')
  expect(text(detail, '.unpaid-reason')).toBe('未在时限内支付，已取消')
  expect(detail.querySelector('.pay-now')).toBeFalsy()
  const mine = await open('appointments')
  expect(texts(mine, '.past .reason')).toContain('未在时限内支付，已取消')
  mine.instance.onUnload()
})

test('cancelled after the cut-off, the deposit is kept, and the person is told so first', async () => {
  // Today: already inside the service's 24-hour cut-off.
  await tap(await depositService())
  const book = await open('book', lastNavigation(wx).query)
  const today = book.querySelectorAll('.day').find((day) => !day.dom.className.includes('full'))
  await tap(today)
  expect(book.instance.data.day).toBe(book.instance.data.days[0].date)
  await tap(book.querySelectorAll('.time')[0])
  const confirm = await open('confirm', lastNavigation(wx).query)
  await confirm.instance.onConfirm()
  const id = lastNavigation(wx).query.id
  sheet = 'pay'
  const pay = await open('pay', { id })
  await pay.instance.onPay()
  expect(lastNavigation(wx)).toMatchObject({ path: '/pages/booked/booked', query: { id } })
  pay.instance.onUnload()

  const detail = await open('appointment', { id })
  expect(text(detail, '.paid')).toBe('已支付 ¥50.00')
  const notice = '已过免费取消时间：现在取消，定金 ¥50.00 不退。'
  expect(text(detail, '.refund-notice')).toBe(notice)
  expect(detail.querySelector('.refund-until')).toBeFalsy()
  // Closing the dialog keeps the booking.
  const showModal = wx.showModal
  const asked = []
  wx.showModal = (options) => {
    asked.push(options.content)
    options.success({ confirm: false, cancel: true })
  }
  await detail.instance.onCancel()
  expect(text(detail, '.status')).toBe('已确认')
  wx.showModal = (options) => {
    asked.push(options.content)
    showModal(options)
  }
  await detail.instance.onCancel()
  wx.showModal = showModal
  expect(asked).toEqual([notice, notice])
  expect(text(detail, '.status')).toBe('已取消')

  const refundsBefore = (await payControl('/refunds')).data.length
  await payControl('/sweep', { minutes: 0 })
  expect((await payControl('/refunds')).data.length).toBe(refundsBefore)
  const token = wx.getStorageSync('yuyue_token')
  const kept = (await api(`/appointments/${id}`, { token })).data.payment
  expect(kept).toMatchObject({ state: 'paid', amount_paid: '50.00', amount_refunded: '0.00' })
  expect(text(await open('appointment', { id }), '.paid')).toBe('已支付 ¥50.00')
})
