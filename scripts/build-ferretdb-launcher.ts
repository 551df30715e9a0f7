// Builds the FerretDB launcher into its cache folder (what `npm start` and the tests would do
// on first use), so CI and Docker-less installs can pay for the Go build up front.
import { ensureFerretDbLauncher } from '../src/shared/db/ferretdb-launcher';
import { createLogger } from '../src/shared/logging';

ensureFerretDbLauncher(createLogger({ level: 'info' })).then(
  (binary) => process.stdout.write(`${binary}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
