// Device ids that break naive encoders downstream (line protocol, CSV, URLs, logs). Device ids are
// free UTF-8 (proto/readings.proto), so every consumer must survive these; tests feed them in.
export const HOSTILE_DEVICE_IDS: readonly string[] = [
  'living room lamp',
  'kitchen,fridge',
  'plug=1',
  'C:\\sockets\\washer',
  'Küche Kühlschrank',
  '洗濯機',
  'tab\tand "quotes"',
  'emoji 🔌 socket',
  'trailing backslash\\',
  '#hash+plus/slash',
  ' leading space',
];
