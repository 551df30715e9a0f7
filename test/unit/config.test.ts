import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
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
      TRUST_PROXY: '2',
      SECURE_COOKIES: '1',
      DB_TIMEOUT_MS: '500',
      EMBEDDED_DB: 'ferretdb',
      BASE_URL: 'https://teamlens.example.org/',
    });

    expect(config.http.baseUrl).toBe('https://teamlens.example.org');

    expect(config.http.port).toBe(0);
    expect(config.http.trustProxy).toBe(2);
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

describe('TRUST_PROXY', () => {
  const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }).http.trustProxy;
  const problemsOf = (value: string, others: Record<string, string> = {}) => {
    try {
      loadConfig({ ...others, TRUST_PROXY: value });
    } catch (err) {
      return (err as ConfigError).problems;
    }
    throw new Error(`TRUST_PROXY=${value} was accepted`);
  };

  it('false and 0 trust no proxy, as does leaving it unset', () => {
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
    expect(loadConfig({}).http.trustProxy).toBe(false);
  });

  it('a number is the count of proxies in front', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('3')).toBe(3);
  });

  it('a list gives the proxies’ addresses, ranges and Express’s named ranges', () => {
    expect(trustProxy('loopback, 10.0.0.0/8,192.168.1.7 , fd00::/8, ::1, uniquelocal')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1',
      'uniquelocal',
    ]);
    expect(trustProxy('linklocal')).toEqual(['linklocal']);
  });

  it('every accepted form is one Express takes as its `trust proxy` setting', () => {
    for (const value of [
      '0',
      '2',
      'loopback, linklocal, uniquelocal',
      '10.0.0.0/8, fd00::/8, ::1',
    ]) {
      expect(() => express().set('trust proxy', trustProxy(value))).not.toThrow();
    }
  });

  it('refuses true, which would believe addresses any client can forge, and says what to give', () => {
    expect(problemsOf('true')).toEqual([
      expect.stringMatching(/^TRUST_PROXY: .*number of proxies.*\(e\.g\. 1\).*addresses/),
    ]);
  });

  it('names every entry that is not an address, a range or a named range, in one error', () => {
    const problems = problemsOf(
      '10.0.0.0/33, loopback, localhost, 10.0.0.1/0, fe80::1%eth0/64x, ,::1/129',
    );

    expect(problems).toHaveLength(6);
    for (const entry of [
      '10.0.0.0/33',
      'localhost',
      '10.0.0.1/0',
      'fe80::1%eth0/64x',
      '“”',
      '::1/129',
    ]) {
      expect(problems.some((p) => p.startsWith('TRUST_PROXY:') && p.includes(entry))).toBe(true);
    }
  });

  it('reports a bad TRUST_PROXY together with the other bad keys', () => {
    expect(problemsOf('10.0.0.0/40', { PORT: 'x' }).map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'TRUST_PROXY',
    ]);
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
