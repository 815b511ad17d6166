// Configuration of the web server from EM_WEB_* variables, validated once and frozen.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { booleanFlag, loadConfig, portSchema } from '../../lib/config/load-config.js';

const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z
  .object({
    EM_WEB_HOST: z.string().min(1).default('127.0.0.1'),
    EM_WEB_PORT: portSchema.default(8080),
    EM_WEB_AUTH_URL: httpUrl.default('http://127.0.0.1:8081'),
    EM_WEB_READ_URL: httpUrl.default('http://127.0.0.1:8082'),
    /** Folder with the built app (`npm run web:build`); web/dist of this checkout by default. */
    EM_WEB_DIST_DIR: z.string().min(1).default(fileURLToPath(new URL('../dist', import.meta.url))),
    /** Mark the session cookie Secure: set when the app is served over https. */
    EM_WEB_SECURE_COOKIE: booleanFlag.default(false),
  })
  .transform((env) => ({
    host: env.EM_WEB_HOST,
    port: env.EM_WEB_PORT,
    authUrl: env.EM_WEB_AUTH_URL.replace(/\/$/, ''),
    readUrl: env.EM_WEB_READ_URL.replace(/\/$/, ''),
    distDir: env.EM_WEB_DIST_DIR,
    secureCookie: env.EM_WEB_SECURE_COOKIE,
  }));

export type WebConfig = z.infer<typeof schema>;

export function loadWebConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<WebConfig> {
  return loadConfig(schema, env);
}
