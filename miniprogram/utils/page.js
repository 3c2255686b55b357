// What every page shares: its strings, a loading flag, and an error shown in the page with
// a retry button (offline, 5xx) instead of a blank screen.
const i18n = require('./i18n')
const api = require('./api')

function base(data) {
  return Object.assign({ t: i18n.strings(), loading: false, error: '', retryable: true }, data || {})
}

// Refusals that trying again cannot change: the page shows the server's message, no retry.
const FINAL_CODES = ['business_suspended']

// Runs `work` with the loading flag on; an error ends up in data.error (and a toast).
async function guarded(page, work) {
  page.setData({ loading: true, error: '', retryable: true })
  try {
    return await work()
  } catch (error) {
    // A suspended business: the API's message (in the person's language) says it is closed.
    page.setData({
      error: api.showError(error),
      retryable: !(error && FINAL_CODES.includes(error.code)),
    })
    return undefined
  } finally {
    page.setData({ loading: false })
  }
}

// A service from the public list, or an error the page shows (withdrawn meanwhile).
function findService(page, id) {
  const service = page.items.find((s) => s.id === Number(id))
  if (!service) throw new api.ApiError(404, 'not_found', i18n.t('service_gone'))
  return service
}

const strings = i18n.strings

module.exports = { base, strings, guarded, findService }
