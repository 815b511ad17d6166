// Response bodies shaped like those of real plugs (fields, precision and extras as the firmware sends them).

/** Shelly Plus Plug S, firmware 1.x: GET /rpc/Switch.GetStatus?id=0 */
export const SHELLY_PLUS_PLUG_S = JSON.stringify({
  id: 0,
  source: 'HTTP_in',
  output: true,
  apower: 112.4,
  voltage: 231.2,
  freq: 50.0,
  current: 0.513,
  aenergy: { total: 5321.884, by_minute: [1863.525, 1869.632, 1869.632], minute_ts: 1705343400 },
  ret_aenergy: { total: 0.0, by_minute: [0.0, 0.0, 0.0], minute_ts: 1705343400 },
  temperature: { tC: 41.3, tF: 106.3 },
});

/** Tasmota 13 on a Sonoff POW: GET /cm?cmnd=Status%208 */
export const TASMOTA_STATUS_8 = JSON.stringify({
  StatusSNS: {
    Time: '2024-01-15T18:30:00',
    ENERGY: {
      TotalStartTime: '2022-03-01T10:12:44',
      Total: 12.345,
      Yesterday: 1.207,
      Today: 0.914,
      Power: 2012,
      ApparentPower: 2015,
      ReactivePower: 110,
      Factor: 1.0,
      Voltage: 229,
      Current: 8.786,
    },
  },
});

/** Tasmota on a two-channel power meter: arrays per channel, one Voltage. */
export const TASMOTA_STATUS_8_TWO_CHANNELS = JSON.stringify({
  StatusSNS: {
    Time: '2024-01-15T18:30:00',
    ENERGY: { Total: [1.5, 2.5], Today: [0.1, 0.2], Power: [40, 60], Voltage: 230, Current: [0.17, 0.26], Factor: [0.99, 0.98] },
  },
});
