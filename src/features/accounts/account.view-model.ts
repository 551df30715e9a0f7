import type { FormErrors, FormField } from '../../shared/views/forms';
import { toFields, toSelect, type FieldSpec } from '../../shared/views/forms';
import type { Invitation, Membership, Role } from '../workspaces';
import type { ListedToken, User } from './account.types';
import { PASSWORD_MAX, PASSWORD_MIN, TOKEN_EXPIRY_DEFAULT_DAYS } from './account.schemas';

type Form = Readonly<{ values?: Readonly<Record<string, string>>; errors?: FormErrors }>;

/**
 * An e-mail field is a text field with the e-mail keyboard, not `type="email"`: browsers
 * refuse a non-ASCII local part there ("chloé@…") and send an IDN domain as its xn-- form,
 * while the server accepts internationalised addresses (src/shared/email.ts).
 */
const EMAIL_INPUT = {
  name: 'email',
  label: 'Email address',
  type: 'text',
  inputmode: 'email',
  autocomplete: 'email',
  required: true,
  maxlength: 254,
} as const;

export const SIGNUP_FIELDS: readonly FieldSpec[] = [
  { name: 'name', label: 'Your name', autocomplete: 'name', required: true, maxlength: 80 },
  EMAIL_INPUT,
  {
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    maxlength: PASSWORD_MAX,
    hint: `At least ${PASSWORD_MIN} characters. A few unrelated words make a strong password.`,
  },
  {
    name: 'workspaceName',
    label: 'Workspace name',
    hint: 'Usually your organisation or coaching practice. You can invite colleagues later.',
    maxlength: 80,
  },
];

export const LOGIN_FIELDS: readonly FieldSpec[] = [
  EMAIL_INPUT,
  {
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  },
];

export const PASSWORD_FIELDS: readonly FieldSpec[] = [
  {
    name: 'currentPassword',
    label: 'Current password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  },
  {
    name: 'newPassword',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    hint: `At least ${PASSWORD_MIN} characters.`,
  },
];

export const TOKEN_FIELDS: readonly FieldSpec[] = [
  {
    name: 'name',
    label: 'Token name',
    hint: 'What will use it, e.g. "quarterly export script".',
    required: true,
    maxlength: 80,
  },
];

const TOKEN_EXPIRY_FIELD = {
  name: 'expiresInDays',
  label: 'Expires after',
  hint: 'After that, the token stops working and a new one is needed.',
} as const;

const TOKEN_EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

/** The token form's fields, for naming its errors. */
export const TOKEN_FORM_FIELDS: readonly FormField[] = [...TOKEN_FIELDS, TOKEN_EXPIRY_FIELD];

export function toSignupView(
  form: Form & { invite?: { token: string; workspaceName: string; role: Role } },
) {
  return {
    title: 'Sign up',
    fields: toFields(
      form.invite ? SIGNUP_FIELDS.filter((f) => f.name !== 'workspaceName') : SIGNUP_FIELDS,
      form,
    ),
    errors: form.errors,
    invite: form.invite,
  };
}

export function toLoginView(form: Form & { next?: string }) {
  return {
    title: 'Log in',
    fields: toFields(LOGIN_FIELDS, form),
    errors: form.errors,
    next: form.next,
  };
}

const ROLE_TEXT: Record<Role, string> = {
  owner: 'Owner — manages members and everything else',
  coach: 'Coach — runs rounds and manages teams',
  viewer: 'Viewer — reads reports',
};

export function roleOptions(selected?: string) {
  return (Object.keys(ROLE_TEXT) as Role[]).map((role) => ({
    value: role,
    label: ROLE_TEXT[role],
    selected: role === (selected ?? 'coach'),
  }));
}

export function toAccountView(input: {
  user: User;
  role: Role;
  tokens: readonly ListedToken[];
  /** A token just created: its value is shown this once. */
  newToken?: Readonly<{ token: string; expiresAt: Date | null }>;
  passwordForm?: Form;
  tokenForm?: Form;
}) {
  // A value the list does not offer (only a hand-made request sends one) shows the default
  // again, not whichever option comes first.
  const chosen = input.tokenForm?.values?.expiresInDays;
  const tokenForm = {
    ...input.tokenForm,
    values: {
      ...input.tokenForm?.values,
      expiresInDays:
        TOKEN_EXPIRY_OPTIONS.find((o) => o.value === chosen)?.value ??
        String(TOKEN_EXPIRY_DEFAULT_DAYS),
    },
  };
  return {
    title: 'Your account',
    user: input.user,
    passwordFields: toFields(PASSWORD_FIELDS, input.passwordForm ?? {}),
    passwordErrors: input.passwordForm?.errors,
    tokenFields: toFields(TOKEN_FIELDS, tokenForm),
    tokenExpiry: toSelect(TOKEN_EXPIRY_FIELD, TOKEN_EXPIRY_OPTIONS, tokenForm),
    tokenErrors: input.tokenForm?.errors,
    newToken: input.newToken,
    tokens: input.tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      role: t.role,
      createdAt: t.createdAt,
      lastUsedAt: t.lastUsedAt,
      expiresAt: t.expiresAt,
      expired: t.expired,
    })),
  };
}

export function toWorkspaceView(input: {
  name: string;
  actor: { userId: string; role: Role };
  members: readonly Membership[];
  users: readonly User[];
  invitations: readonly Invitation[];
  newInvitationUrl?: string;
  problem?: string;
}) {
  const isOwner = input.actor.role === 'owner';
  // The service refuses to remove the last owner; the page does not offer it either.
  const owners = input.members.filter((m) => m.role === 'owner');
  const isLastOwner = (m: Membership) => m.role === 'owner' && owners.length === 1;
  return {
    title: 'Workspace',
    name: input.name,
    isOwner,
    errors: input.problem
      ? { summary: [{ message: input.problem, href: null }], byField: {} }
      : undefined,
    members: input.members.map((m) => {
      const user = input.users.find((u) => u.id === m.userId);
      return {
        userId: m.userId,
        name: user?.name ?? 'Unknown user',
        email: user?.email ?? '',
        role: m.role,
        isYou: m.userId === input.actor.userId,
        canRemove: isOwner && !isLastOwner(m),
        lastOwner: isOwner && isLastOwner(m),
      };
    }),
    invitations: input.invitations.map((i) => ({ id: i.id, role: i.role, expiresAt: i.expiresAt })),
    newInvitationUrl: input.newInvitationUrl,
    roleOptions: roleOptions(),
  };
}

/** Only a local path may follow log-in: never another site (open redirect). */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/dashboard';
  return /[\r\n]/.test(next) ? '/dashboard' : next;
}
