import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, ConfigHelpRequested, describeConfig, loadConfig, positiveInt } from '../load-config.js';

const schema = z
  .object({
    EM_X_URL: z.string().default('mqtt://127.0.0.1:1883'),
    EM_X_ID: z.string(),
    EM_X_PASSWORD: z.string().optional(),
    EM_X_SOURCE: z.enum(['simulated', 'shelly']).default('simulated'),
    EM_X_FLUSH_INTERVAL_MS: positiveInt.default(500),
    EM_X_MODE: z.string().trim().toLowerCase().pipe(z.enum(['on', 'off'])).default('on'),
    // A default whose value is then checked and converted (a duration such as 30d → ms).
    EM_X_RETENTION: z
      .string()
      .default('30d')
      .refine((v) => v.endsWith('d'))
      .transform((v) => Number.parseInt(v, 10) * 86_400_000),
  })
  .refine(() => true)
  .transform((env) => ({ url: env.EM_X_URL, id: env.EM_X_ID }));

describe('config help', () => {
  it('lists every variable with its default, its choices, or whether it is required', () => {
    expect(describeConfig(schema).split('\n').map((line) => line.trim().split(/\s+/))).toEqual([
      ['EM_X_URL', 'default', '"mqtt://127.0.0.1:1883"'],
      ['EM_X_ID', 'required'],
      ['EM_X_PASSWORD', 'optional'],
      ['EM_X_SOURCE', 'default', '"simulated"', '(simulated', '|', 'shelly)'],
      ['EM_X_FLUSH_INTERVAL_MS', 'default', '500'],
      ['EM_X_MODE', 'default', '"on"', '(on', '|', 'off)'],
      ['EM_X_RETENTION', 'default', '"30d"'],
    ]);
  });

  it('when a caller passes its own variables, then --help on the command line changes nothing', () => {
    const argv = process.argv;
    process.argv = [...argv.slice(0, 2), '--help'];
    try {
      expect(loadConfig(schema, { EM_X_ID: 'a' })).toEqual({ url: 'mqtt://127.0.0.1:1883', id: 'a' });
      expect(() => loadConfig(schema)).toThrow(ConfigHelpRequested);
    } finally {
      process.argv = argv;
    }
    expect(() => loadConfig(schema, {})).toThrow(ConfigError);
    expect(() => loadConfig(schema, {})).not.toThrow(ConfigHelpRequested);
  });
});
