/**
 * Every error code the features answer with (pages' ones included), by status, with what it means to a client: one
 * table, so an operation's declaration lists only codes (`errors: ['ROUND_NOT_FOUND']`) and the
 * document says, per status, which codes come and why. A unit test checks that each code a
 * feature throws is here under the status it is thrown with. One code has two statuses:
 * `ROUND_CLOSED` is a conflict for the coach (409) and gone for a respondent (410); an
 * operation names which (`['ROUND_CLOSED', 410]`).
 */
export const errorCodes = {
  VALIDATION_FAILED: { 400: 'Invalid request: see `error.details`' },
  UNAUTHENTICATED: { 401: 'No API token sent' },
  TOKEN_INVALID: { 401: 'The token is unknown or revoked' },
  TOKEN_EXPIRED: { 401: 'The token has expired' },
  INVALID_CREDENTIALS: { 401: 'Wrong email or password' },
  FORBIDDEN: { 403: 'The token’s role does not allow this' },
  CSRF_INVALID: { 403: 'A page’s form sent from another page, or expired' },
  CROSS_SITE_FORM: { 403: 'A page’s form sent from another site' },
  INVITATION_REQUIRED: {
    403: 'A round by invitation (`access: "invited"`) and no `X-Invitation`: only a personal link starts an answer',
  },
  ACTION_NOT_FOUND: { 404: 'No such action in this workspace' },
  INVITATION_NOT_FOUND: { 404: 'No such invitation, or it was used or has expired' },
  MEMBER_NOT_FOUND: { 404: 'No such member of this workspace' },
  QUESTIONNAIRE_DRAFT_NOT_FOUND: { 404: 'The editor has no saved draft of this questionnaire' },
  QUESTIONNAIRE_NOT_FOUND: { 404: 'No such questionnaire, or not that version' },
  RESPONSE_NOT_FOUND: { 404: 'No answer for this key' },
  RESULTS_LINK_NOT_FOUND: { 404: 'No team results link: none was made, or it was revoked' },
  ROUND_LINK_NOT_FOUND: { 404: 'Unknown link' },
  ROUND_NOT_FOUND: { 404: 'No such round in this workspace' },
  ROUND_NOT_STARTED: { 404: 'The round is not open yet' },
  SESSION_NOT_FOUND: { 404: 'The round has no live session, or the presenter link is not valid' },
  TEAM_NOT_FOUND: { 404: 'No such team in this workspace' },
  TOKEN_NOT_FOUND: { 404: 'No such token' },
  WORKSPACE_NOT_FOUND: { 404: 'No such workspace for this account' },
  DEMO_EXISTS: { 409: 'The workspace has the demo teams already' },
  EMAIL_TAKEN: { 409: 'The email address has an account' },
  EXPORT_ANONYMOUS: { 409: 'An anonymous round has no answers person by person' },
  INVITATION_USED: {
    409: 'A round by invitation whose invitation has answered already, each answers once; its answer changes with its `X-Edit-Key`',
  },
  LAST_OWNER: { 409: 'The workspace’s last owner cannot go' },
  MAIL_OFF: { 409: 'Invitations by e-mail are off (no SMTP_URL and MAIL_FROM)' },
  QUESTIONNAIRE_BUILTIN: { 409: 'A built-in questionnaire cannot be archived or deleted' },
  QUESTIONNAIRE_IN_USE: { 409: 'Rounds use a version of the questionnaire: archive it instead' },
  QUESTIONNAIRE_SLUG_RESERVED: { 409: 'The slug is a built-in questionnaire’s' },
  QUESTIONNAIRE_SLUG_TAKEN: { 409: 'The workspace has a questionnaire with this slug' },
  QUESTIONNAIRE_VERSION_CONFLICT: { 409: 'The draft names another version than the next one' },
  QUESTIONNAIRE_VERSION_EXISTS: {
    409: 'The version was saved at the same time by another request',
  },
  QUESTIONNAIRE_VERSION_IMMUTABLE: { 409: 'A round began to use the version meanwhile' },
  ROUND_CLOSED: {
    409: 'The round is closed: its closing date cannot change (a later one would open it again)',
    410: 'The round is closed',
  },
  ROUND_CLOSES_IN_PAST: { 409: 'The closing date has passed' },
  ROUND_NOT_CLOSED: { 409: 'The round is not closed yet' },
  ROUND_NOT_DRAFT: { 409: 'The round is not a draft' },
  ROUND_NOT_OPEN: { 409: 'The round is not open' },
  BELOW_K: {
    409: 'An anonymous round with fewer answers than its minimum group size: the reveal waits for more',
  },
  SESSION_NOT_COLLECTING: { 409: 'The session was revealed or ended already' },
  SESSION_NOT_REVEALED: { 409: 'The session is not showing results: reveal it first, or it ended' },
  TEAM_ARCHIVED: { 409: 'The team is archived' },
  TEAM_NAME_TAKEN: { 409: 'A team with this name exists' },
  RATE_LIMITED: { 429: 'Too many attempts; retry after `Retry-After` seconds' },
} as const satisfies Readonly<Record<string, Readonly<Partial<Record<number, string>>>>>;

export type ErrorCode = keyof typeof errorCodes;
