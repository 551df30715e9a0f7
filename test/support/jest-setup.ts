// Integration tests start real servers and processes: allow for a slow, busy two-core machine.
// (A per-project `testTimeout` is not honoured by Jest, so it is set here.)
jest.setTimeout(30_000);
