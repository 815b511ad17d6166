import { describe, expect, it } from 'vitest';
import { renderMosquittoConfig } from '../mosquitto-config.js';

describe('mosquitto config', () => {
  it('when rendered, then it listens on loopback only, persists to the folder and lifts the queue limits', () => {
    const text = renderMosquittoConfig({ port: 18830, dataDir: '/tmp/em-mq', runAsRoot: false });
    const lines = text.split('\n');
    expect(lines).toContain('listener 18830 127.0.0.1');
    expect(lines).toContain('persistence true');
    expect(lines).toContain('persistence_location /tmp/em-mq/');
    expect(lines).toContain('max_queued_messages 0');
    expect(lines).toContain('log_dest file /tmp/em-mq/mosquitto.log');
    expect(lines).not.toContain('user root');
  });

  it('when running as root, then it stays root so it can write its own folder', () => {
    expect(renderMosquittoConfig({ port: 1, dataDir: '/tmp/x/', runAsRoot: true }).split('\n')).toContain('user root');
  });

  it('when the folder has a space, then it refuses (mosquitto.conf values cannot be quoted)', () => {
    expect(() => renderMosquittoConfig({ port: 1, dataDir: '/tmp/a b', runAsRoot: false })).toThrow(/spaces/);
  });
});
