import { z } from 'zod';
import { singleLineText } from '../../shared/text';
import { ROLES } from './workspace.types';

export const WorkspaceName = singleLineText({ max: 80, required: 'Enter a name' });

export const InvitationInput = z
  .object({ role: z.enum(ROLES, { error: 'Choose owner, coach or viewer' }) })
  .strict();

export const MemberParams = z.object({ userId: z.string().min(1).max(64) }).strict();

export const InvitationToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This invitation link is not valid');
