// A real SMTP server for the tests, in a process of its own on loopback: it accepts every
// message (except to addresses in SMTP_REJECT, refused with 550, as a bounce at sending time)
// and prints each one received as a JSON line {to, from, replyTo, subject, text, envelopeTo,
// smtpUtf8} on stdout. It announces SMTPUTF8, as smtp-server does unless told otherwise
// (hideSMTPUTF8).
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const rejected = new Set((process.env.SMTP_REJECT ?? '').split(',').filter(Boolean));

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (rejected.has(address.address)) {
      const err = Object.assign(new Error('No such mailbox here'), { responseCode: 550 });
      callback(err);
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream).then(
      (mail) => {
        const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
        process.stdout.write(
          `${JSON.stringify({
            to: to.flatMap((a) => a.value.map((v) => v.address)).join(','),
            from: mail.from?.text ?? '',
            replyTo: mail.replyTo?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            // How it came: the recipients as the client gave them in RCPT TO, and whether it
            // asked for SMTPUTF8 (RFC 6531), which an internationalised address needs.
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            smtpUtf8: session.envelope.smtpUtf8 === true,
          })}\n`,
        );
        callback();
      },
      (err: Error) => callback(err),
    );
  },
});

server.listen(Number(process.env.SMTP_PORT ?? 0), '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
