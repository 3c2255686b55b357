// A member card bought in the mini program, against the real server and the WeChat Pay
// stand-in: the cards page → buy the package (WeChat Pay's sheet, signed by the merchant) → the
// page asks until the card exists → book with it on the confirm page → staff check the
// customer in with the appointment's code → the card shows one use fewer.
//
// wx.requestPayment is WeChat's, not ours: the test provides it, checking the paySign as
// WeChat's client does, then the stand-in pays and notifies the server.
const crypto = require('crypto')
const { setup, open, tap, text, lastNavigation, api } = require('../helpers')
const { httpJson } = require('../wx-shim')

const PAY = process.env.YUYUE_TEST_PAY

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
const sheets = []

beforeAll(async () => {
  wx = setup({ openid: 'o-card-buyer' })
  wx.requestPayment = (options) => {
    sheets.push(options)
    setTimeout(async () => {
      if (!(options.signType === 'RSA' && signedByTheMerchant(options))) {
        return options.fail({ errMsg: 'requestPayment:fail sign error' })
      }
      const prepayId = options.package.replace(/^prepay_id=/, '')
      const paid = await httpJson(PAY + '/pay', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prepay_id: prepayId }),
      })
      expect(paid.data.notified).toBe(204)
      return options.success({ errMsg: 'requestPayment:ok' })
    }, 0)
  }
})

test('a package bought in the mini program books a haircut and is used at check-in', async () => {
  const login = await open('login', { back: '1' })
  await login.instance.onWeChat()
  await login.instance.onPhone({ detail: { code: await wx.phoneCode('13812340088') } })
  const token = wx.getStorageSync('yuyue_token')
  expect(token).toBeTruthy()

  // The cards page: nothing held yet, the demo's two cards on sale; buy the package.
  const cards = await open('cards')
  expect(cards.instance.data.error).toBe('')
  expect(cards.querySelectorAll('.mine .card').length).toBe(0)
  const products = cards.querySelectorAll('.product')
  const package_ = products.find((node) => node.dom.textContent.includes('洗剪吹 10 次卡'))
  expect(package_).toBeTruthy()
  await cards.instance.onBuy({ currentTarget: { dataset: { id: cards.instance.data.products.find((p) => p.name === '洗剪吹 10 次卡').id } } })
  expect(cards.instance.data.error).toBe('')
  expect(sheets.length).toBe(1)
  expect(text(cards, '.note')).toBe('购卡成功，已放入我的会员卡。')
  expect(text(cards, '.mine .held')).toBe('剩余 10 / 10 次')
  const mine = (await api('/me/cards', { token })).data.items
  expect(mine.length).toBe(1)
  const cardId = mine[0].id

  // Book the haircut the package pays for, choosing the card on the confirm page.
  const home = await open('home')
  const haircut = home.querySelectorAll('.service').find((node) => node.dom.textContent.includes('洗剪吹'))
  await tap(haircut)
  const book = await open('book', lastNavigation(wx).query)
  await tap(book.querySelectorAll('.time')[0])
  const confirm = await open('confirm', lastNavigation(wx).query)
  expect(confirm.instance.data.cards).toEqual([{ id: cardId, name: '洗剪吹 10 次卡' }])
  await tap(confirm.querySelector('.card-choice'))
  expect(confirm.instance.data.cardId).toBe(cardId)
  await confirm.instance.onConfirm()
  expect(confirm.instance.data.error).toBe('')
  const ask = wx.__state.requests.find((r) => r.method === 'POST' && r.url.endsWith('/businesses/demo/appointments'))
  expect(JSON.parse(ask.body).card_id).toBe(cardId)
  const nav = lastNavigation(wx)
  expect(nav).toMatchObject({ kind: 'redirectTo', path: '/pages/booked/booked' })
  const appointment = (await api(`/appointments/${nav.query.id}`, { token })).data
  let card = (await api(`/cards/${cardId}`, { token })).data
  expect([card.uses_left, card.uses_reserved]).toEqual([10, 1])

  // At the counter, when it is due: the owner checks the customer in with the code (the
  // server's check-in service, at the appointment's start; the API's route is the same call).
  const checkIn = await httpJson(PAY + '/check-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: appointment.checkin_code, staff: 'owner' }),
  })
  expect(checkIn.data).toEqual({ id: appointment.id, status: 'in_progress' })
  card = (await api(`/cards/${cardId}`, { token })).data
  expect([card.uses_left, card.uses_reserved]).toEqual([9, 0])
  const again = await open('cards')
  expect(text(again, '.mine .held')).toBe('剩余 9 / 10 次')
})
