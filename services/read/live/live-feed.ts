// Moved to lib/mqtt/mqtt-feed.ts (the alerts service subscribes the same way).
export { connectMqttFeed, type LiveFeed, type MqttFeedOptions } from '../../../lib/mqtt/mqtt-feed.js';
