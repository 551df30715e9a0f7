import { closeTestPdfRenderers } from './pdf';

// Integration tests start real servers and processes: allow for a slow, busy two-core machine.
// (A per-project `testTimeout` is not honoured by Jest, so it is set here.)
jest.setTimeout(30_000);

// The Chromium of each app's PDF renderer (test/support/pdf.ts), once the file's tests are done.
afterAll(closeTestPdfRenderers);
