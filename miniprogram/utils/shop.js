// Reaching a shop from a page: call it, or see it on WeChat's map.
// A shop's or business's phone: tap to call (the number as stored, E.164, dials anywhere).
function call(number) {
  if (number) wx.makePhoneCall({ phoneNumber: number })
}

// A shop on WeChat's map, when its coordinates are known.
function openMap(shop) {
  if (!shop || shop.latitude == null || shop.longitude == null) return
  wx.openLocation({
    latitude: Number(shop.latitude),
    longitude: Number(shop.longitude),
    name: shop.name,
    address: shop.address || '',
    scale: 16,
  })
}

module.exports = { call, openMap }
