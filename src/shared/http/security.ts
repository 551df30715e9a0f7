import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet with a strict Content-Security-Policy: scripts and styles only from our own origin,
 * no inline script or `on*=` attribute, no plugins, no framing. Pages work without JavaScript;
 * our scripts in public/js are progressive enhancement. HSTS and upgrade-insecure-requests are
 * sent only when the deployment says it is served over HTTPS: on plain HTTP (a laptop, a LAN
 * address) they would make browsers refuse our own styles and scripts.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'upgrade-insecure-requests': options.https ? [] : null,
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 15552000 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
