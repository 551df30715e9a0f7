import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { emailAddress } from '../../shared/email';
import { singleLineText } from '../../shared/text';
import { InvitationToken, ROLES, WorkspaceName } from '../workspaces';

/** Length is checked before hashing: a megabyte "password" must not cost a megabyte of argon2. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const Email = emailAddress('Enter an email address such as name@example.com').transform((email) =>
  email.toLowerCase(),
);

const NewPassword = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

const AnyPassword = z
  .string()
  .min(1, 'Enter your password')
  .max(PASSWORD_MAX, 'This password is too long');

const Name = singleLineText({ max: 80, required: 'Enter your name' });

export const SignupInput = z
  .object({
    name: Name,
    email: Email,
    password: NewPassword,
    workspaceName: WorkspaceName.optional(),
    invite: InvitationToken.optional(),
  })
  .strict()
  .refine((v) => v.invite !== undefined || v.workspaceName !== undefined, {
    path: ['workspaceName'],
    message: 'Enter a name for your workspace',
  });

export const LoginInput = z
  .object({
    email: Email,
    password: AnyPassword,
    next: z.string().max(500).optional(),
  })
  .strict();

export const ChangePasswordInput = z
  .object({ currentPassword: AnyPassword, newPassword: NewPassword })
  .strict();

const TokenName = singleLineText({ max: 80, required: 'Name the token, e.g. "reporting script"' });

export const TOKEN_EXPIRY_MAX_DAYS = 365;
/** What the account page offers first: a token nobody remembers stops working within a quarter. */
export const TOKEN_EXPIRY_DEFAULT_DAYS = 90;
const EXPIRY_MESSAGE = `Choose from 1 to ${TOKEN_EXPIRY_MAX_DAYS} days, or "never"`;

/** Days from now until a token stops working; null: never. */
const ExpiryDays = z
  .number({ error: EXPIRY_MESSAGE })
  .int(EXPIRY_MESSAGE)
  .min(1, EXPIRY_MESSAGE)
  .max(TOKEN_EXPIRY_MAX_DAYS, EXPIRY_MESSAGE)
  .nullable();

/** The account page's choice, a string: a number of days or "never". */
const ExpiryChoice = z
  .string()
  .regex(/^(never|\d{1,4})$/, EXPIRY_MESSAGE)
  .transform((choice) => (choice === 'never' ? null : Number(choice)))
  .pipe(ExpiryDays);

export const TokenCreateInput = z
  .object({
    name: TokenName,
    role: z.enum(ROLES).optional(),
    // A form from before the choice existed gets what the page offers first.
    expiresInDays: ExpiryChoice.default(TOKEN_EXPIRY_DEFAULT_DAYS),
  })
  .strict();

export const ApiTokenRequest = z
  .object({
    email: Email,
    password: AnyPassword,
    name: TokenName.default('API token'),
    role: z.enum(ROLES).optional().describe('At most your role in the workspace; the default'),
    workspaceId: z.string().min(1).max(64).optional().describe('Default: your first workspace'),
    expiresInDays: ExpiryDays.optional().describe(
      `Days until the token stops working (1 to ${TOKEN_EXPIRY_MAX_DAYS}); null or left out: it never expires`,
    ),
  })
  .strict()
  .register(apiSchemas, { id: 'TokenRequest' });

export const SignupApiInput = z
  .object({ name: Name, email: Email, password: NewPassword, workspaceName: WorkspaceName })
  .strict()
  .register(apiSchemas, { id: 'SignupRequest' });

export const TokenIdParams = z.object({ tokenId: z.string().min(1).max(64) }).strict();

export const SwitchWorkspaceInput = z.object({ workspaceId: z.string().min(1).max(64) }).strict();

/* Response shapes, for the OpenAPI document and the tests. */
export const TokenResponseDto = z
  .object({
    token: z.string().describe('Send as `Authorization: Bearer <token>`; shown only once'),
    tokenId: z.string(),
    workspaceId: z.string(),
    role: z.enum(ROLES),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .describe('When the token stops working (then 401 `TOKEN_EXPIRED`); null: never'),
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).strict(),
  })
  .strict()
  .register(apiSchemas, { id: 'TokenResponse', description: 'The token, shown only now' });

export const MeDto = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).strict(),
    workspace: z.object({ id: z.string(), name: z.string() }).strict(),
    role: z.enum(ROLES),
  })
  .strict()
  .register(apiSchemas, { id: 'Me', description: 'The token’s identity' });
