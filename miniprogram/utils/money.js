const SIGNS = { CNY: '¥', USD: '$', EUR: '€' }

function money(amount, currency) {
  return `${SIGNS[currency] || ''}${amount}${SIGNS[currency] ? '' : ` ${currency}`}`
}

module.exports = { money }
