// Imported first by every entry point (main.ts): a configuration mistake — the most common way a
// process fails at start, e.g. a mistyped variable in an agent's provisioning command — ends the
// process with the list of offending variables and exit code 2, not a stack trace through zod.
// Anything else uncaught still prints its stack and exits 1, as Node does without a handler.
import { ConfigError, ConfigHelpRequested } from '../config/load-config.js';

/** Exit code for "the configuration is invalid" (as in sysexits' EX_USAGE family, kept small). */
export const CONFIG_ERROR_EXIT_CODE = 2;

process.on('uncaughtException', (err: unknown) => {
  if (err instanceof ConfigHelpRequested) {
    process.stdout.write(`${err.message}\n`, () => process.exit(0));
    return;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
