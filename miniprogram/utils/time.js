// Times come from the API as ISO strings with the shop's offset (2026-12-02T10:00:00+08:00);
// they are shown as that wall-clock time, never converted to the phone's zone.
const i18n = require('./i18n')

const WEEKDAYS = {
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function parts(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso || '')
  if (!m) return null
  return {
    year: +m[1], month: +m[2], day: +m[3], hour: m[4], minute: m[5],
    date: `${m[1]}-${m[2]}-${m[3]}`, clock: `${m[4]}:${m[5]}`,
    offset: m[6] === 'Z' ? '+00:00' : m[6],
  }
}

function weekday(dateString) {
  const [y, mo, d] = dateString.split('-').map(Number)
  return WEEKDAYS[i18n.language()][new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]
}

function dayLabel(dateString) {
  const [, mo, d] = dateString.split('-').map(Number)
  return i18n.language() === 'en' ? `${d} ${MONTHS[mo - 1]}` : `${mo}月${d}日`
}

// "2026年12月2日 周三 10:00（北京时间，UTC+08:00）" / "Wed 2 Dec 2026, 10:00 (China Standard Time, UTC+08:00)":
// `zone` is the zone's name as people say it (the API's zone_label / timezone_label).
function withZone(iso, zone) {
  const p = parts(iso)
  if (!p) return iso || ''
  const wd = weekday(p.date)
  if (i18n.language() === 'en') {
    return `${wd} ${p.day} ${MONTHS[p.month - 1]} ${p.year}, ${p.clock} (${zone}, UTC${p.offset})`
  }
  return `${p.year}年${p.month}月${p.day}日 ${wd} ${p.clock}（${zone}，UTC${p.offset}）`
}

// 120 → "2 小时" / "2 hours"; 90 → "1 小时 30 分钟" / "1 h 30 min"; 45 → "45 分钟" / "45 min",
// as the customer web pages write durations.
function duration(minutes) {
  const total = Number(minutes) || 0
  const hours = Math.floor(total / 60)
  const rest = total % 60
  const en = i18n.language() === 'en'
  if (hours && rest) return en ? `${hours} h ${rest} min` : `${hours} 小时 ${rest} 分钟`
  if (hours) return en ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : `${hours} 小时`
  return en ? `${rest} min` : `${rest} 分钟`
}

function addDays(dateString, n) {
  const [y, mo, d] = dateString.split('-').map(Number)
  const next = new Date(Date.UTC(y, mo - 1, d + n))
  return next.toISOString().slice(0, 10)
}

// Today's date on the phone's calendar; the server never offers a past start anyway.
function today() {
  const now = new Date()
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000)
  return local.toISOString().slice(0, 10)
}

function epochSeconds(iso) {
  return Math.floor(new Date(iso).getTime() / 1000)
}

module.exports = { parts, weekday, dayLabel, withZone, duration, addDays, today, epochSeconds }
