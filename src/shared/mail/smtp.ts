import nodemailer from 'nodemailer';

/** A name and an address, which nodemailer quotes as a header needs (a comma in a name…). */
export type MailAddress = Readonly<{ name: string; address: string }>;

export type MailMessage = Readonly<{
  to: string;
  subject: string;
  text: string;
  replyTo?: MailAddress;
}>;

/** Why a message was not sent: `permanent` (the server refused it: a bounce) or not (retry). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

export type MailSender = (message: MailMessage) => Promise<void>;

/** What nodemailer's errors carry: an SMTP reply code, or a socket error's code. */
type SmtpFailure = { responseCode?: number; code?: string; response?: string; message?: string };

/**
 * A failure in words a coach can act on, and whether trying again can help. Only the server's
 * final no to the recipient (a 5xx to RCPT TO, which nodemailer reports as EENVELOPE: an unknown
 * mailbox) is for good; a 5xx to anything else (a wrong password, a refused sender, TLS
 * required) is the installation's to fix, and a message must go out once it is fixed. A 4xx,
 * no connection or a time-out may pass by itself.
 */
export function classifySmtpFailure(err: unknown): MailError {
  const failure = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  if (typeof failure.responseCode === 'number') {
    const reply = (failure.response ?? failure.message ?? '').slice(0, 200);
    return new MailError(
      `The mail server answered ${failure.responseCode}: ${reply}`,
      failure.responseCode >= 500 && failure.code === 'EENVELOPE',
    );
  }
  return new MailError(
    `The mail server could not be reached (${failure.code ?? failure.message ?? 'unknown error'})`,
    false,
  );
}

/** Sends one message at a time through SMTP_URL, from MAIL_FROM (see config.ts). */
export function createSmtpSender(config: { smtpUrl: string; from: string }): MailSender {
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    // Bounded, so that an unreachable server is a retry, not a worker stuck for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return async (message) => {
    let rejected: unknown[];
    try {
      ({ rejected } = await transport.sendMail({ from: config.from, ...message }));
    } catch (err) {
      throw classifySmtpFailure(err);
    }
    if (rejected.length > 0) {
      throw new MailError(`The mail server refused the address ${message.to}`, true);
    }
  };
}
