// Paying for a booking and what its money says: the countdown to `pay_by`, WeChat Pay's sheet
// (wx.requestPayment with the parameters the server signed), and the refund a cancellation
// would give, in the API's amounts (the server decides them; the page only says them).
const i18n = require('./i18n')
const { money } = require('./money')

// "14:59" left until `payBy` (an ISO time) at `now` (ms); '' once it has passed.
function countdown(payBy, now) {
  const left = Math.floor((new Date(payBy).getTime() - now) / 1000)
  if (!(left > 0)) return ''
  const minutes = Math.floor(left / 60)
  const seconds = left % 60
  return `${minutes < 10 ? '0' : ''}${minutes}:${seconds < 10 ? '0' : ''}${seconds}`
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all))
}

// WeChat Pay's sheet. Resolves 'paid' when the person paid, 'cancelled' when they closed
// the sheet; rejects with WeChat's message otherwise.
function requestPayment(params) {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: params.signType,
      paySign: params.paySign,
      success: () => resolve('paid'),
      fail: (res) => {
        const message = (res && res.errMsg) || ''
        if (/cancel/.test(message)) resolve('cancelled')
        else reject(new Error(i18n.t('pay_failed')))
      },
    })
  })
}

// "已支付 ¥50.00 · 已退款 ¥50.00"; '' when nothing is paid or due online.
function paidLine(payment, currency) {
  if (!payment || (payment.mode === 'none' && Number(payment.amount_paid) <= 0)) return ''
  const parts = []
  if (payment.state === 'awaiting') parts.push(fill(i18n.t('pay_due'), { amount: money(payment.amount_due, currency) }))
  else if (payment.state === 'expired') parts.push(i18n.t('not_paid'))
  else parts.push(fill(i18n.t('paid_amount'), { amount: money(payment.amount_paid, currency) }))
  if (Number(payment.amount_refunded) > 0) {
    parts.push(fill(i18n.t('refunded_amount'), { amount: money(payment.amount_refunded, currency) }))
  }
  if (payment.state === 'refunding') parts.push(i18n.t('refunding'))
  return parts.join(' · ')
}

// What a cancellation now gives back, said before it is confirmed: "定金 ¥50.00 不退".
function refundNotice(payment, currency) {
  if (!payment || payment.refund_if_cancelled_now == null) return ''
  const back = Number(payment.refund_if_cancelled_now)
  const kept = Number(payment.kept_if_cancelled_now || 0)
  const values = {
    back: money(payment.refund_if_cancelled_now, currency),
    kept: money(payment.kept_if_cancelled_now, currency),
  }
  const prepaid = payment.mode === 'full'
  if (kept <= 0) return fill(i18n.t('refund_full'), values)
  if (back <= 0) return fill(i18n.t(prepaid ? 'refund_none_prepaid' : 'refund_none'), values)
  return fill(i18n.t(prepaid ? 'refund_part_prepaid' : 'refund_part'), values)
}

module.exports = { countdown, requestPayment, paidLine, refundNotice, fill }
