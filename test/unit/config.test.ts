import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, EnvSchema, loadConfig } from '../../src/config';
import { ROOT } from '../../src/paths';

describe('loadConfig', () => {
  it('when the environment is empty, returns the documented defaults', () => {
    const config = loadConfig({});

    expect(config.http).toEqual({
      port: 3000,
      host: '127.0.0.1',
      trustProxy: false,
      secureCookies: false,
      bodyLimit: '100kb',
      shutdownGraceMs: 10000,
      baseUrl: 'http://localhost:3000',
      baseUrlConfigured: false,
    });
    expect(config.mongo).toEqual({ uri: undefined, timeoutMs: 2000 });
    expect(config.embedded).toEqual({ dataDir: path.resolve('data'), kind: 'auto' });
    expect(config.log.level).toBe('info');
  });

  it('when values are valid, parses numbers, booleans and URIs', () => {
    const config = loadConfig({
      PORT: '0',
      MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/teamlens',
      TRUST_PROXY: 'true',
      SECURE_COOKIES: '1',
      DB_TIMEOUT_MS: '500',
      EMBEDDED_DB: 'ferretdb',
      BASE_URL: 'https://teamlens.example.org/',
    });

    expect(config.http.baseUrl).toBe('https://teamlens.example.org');

    expect(config.http.port).toBe(0);
    expect(config.http.trustProxy).toBe(true);
    expect(config.http.secureCookies).toBe(true);
    expect(config.mongo).toEqual({
      uri: 'mongodb+srv://user:pw@cluster.example.net/teamlens',
      timeoutMs: 500,
    });
    expect(config.embedded.kind).toBe('ferretdb');
  });

  it('when several keys are bad, reports every one of them in a single error', () => {
    const attempt = () =>
      loadConfig({
        PORT: '70000',
        MONGODB_URI: 'postgres://nope',
        TRUST_PROXY: 'yes',
        LOG_LEVEL: 'loud',
        BODY_LIMIT: 'lots',
        BASE_URL: 'javascript:alert(1)',
      });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const problems = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(problems.sort()).toEqual(
        ['BASE_URL', 'BODY_LIMIT', 'LOG_LEVEL', 'MONGODB_URI', 'PORT', 'TRUST_PROXY'].sort(),
      );
      expect((err as Error).message).toContain('Invalid configuration');
    }
  });

  it('when a variable is set to the empty string, treats it as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '' }).http.port).toBe(3000);
    expect(loadConfig({ MONGODB_URI: '' }).mongo.uri).toBeUndefined();
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });
});

describe('the PDF settings', () => {
  it('print two PDFs at once with ten waiting by default, and refuse no turns or a negative queue', () => {
    expect(loadConfig({}).pdf).toEqual({
      chromiumPath: '/usr/bin/chromium',
      concurrency: 2,
      queueLimit: 10,
    });
    expect(loadConfig({ PDF_CONCURRENCY: '4', PDF_QUEUE: '0' }).pdf).toMatchObject({
      concurrency: 4,
      queueLimit: 0,
    });
    expect(() => loadConfig({ PDF_CONCURRENCY: '0' })).toThrow('PDF_CONCURRENCY');
    expect(() => loadConfig({ PDF_QUEUE: '-1' })).toThrow('PDF_QUEUE');
  });
});

describe('the mail settings', () => {
  const mail = {
    SMTP_URL: 'smtp://user:pw@mail.example.org:587',
    MAIL_FROM: 'Teamlens <t@example.org>',
  };

  it('turn invitations by e-mail on together, and are off without them', () => {
    expect(loadConfig(mail).mail).toEqual({ smtpUrl: mail.SMTP_URL, from: mail.MAIL_FROM });
    expect(loadConfig({}).mail).toBeNull();
  });

  it('refuse one without the other, a URL that is not SMTP, and a sender with a line break', () => {
    expect(() => loadConfig({ SMTP_URL: mail.SMTP_URL })).toThrow('set both');
    expect(() => loadConfig({ ...mail, SMTP_URL: 'http://mail.example.org' })).toThrow(
      'SMTP_URL: must start with smtp:// or smtps://',
    );
    expect(() => loadConfig({ ...mail, MAIL_FROM: 'a@example.org\r\nBcc: b@example.org' })).toThrow(
      'MAIL_FROM',
    );
  });

  it('need SESSION_SECRET with MONGODB_URI: invitation links are signed with it', () => {
    const external = { ...mail, MONGODB_URI: 'mongodb://db.example.org/teamlens' };
    expect(() => loadConfig(external)).toThrow('SESSION_SECRET');
    expect(loadConfig({ ...external, SESSION_SECRET: 'x'.repeat(32) }).mail).not.toBeNull();
  });
});

describe('configuration documentation', () => {
  const keys = Object.keys(EnvSchema.shape);

  it('every key has a description in the schema', () => {
    for (const key of keys) {
      expect({
        key,
        description: EnvSchema.shape[key as keyof typeof EnvSchema.shape].description,
      }).toEqual({ key, description: expect.any(String) });
    }
  });

  it('.env.example names every key and no other', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const named = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(named.sort()).toEqual([...keys].sort());
  });

  it("the README's configuration table lists every key", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const key of keys) expect(readme).toContain(`| \`${key}\``);
  });
});
