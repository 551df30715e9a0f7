import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import { ROLES, type Role } from '../workspaces';

export type UserDoc = {
  _id: string;
  email: string;
  /** Lower-cased copy for unique, case-insensitive lookups (not every supported server has collations). */
  emailLower: string;
  name: string;
  passwordHash: string;
  /**
   * Raised at every password change. A session records the version it signed in with, so one
   * update ends every other session of the user without scanning the sessions.
   */
  credentialsVersion: number;
  createdAt: Date;
};

export type ApiTokenDoc = {
  _id: string;
  userId: string;
  workspaceId: string;
  name: string;
  role: Role;
  tokenHash: string;
  prefix: string;
  createdAt: Date;
  /** Absent on tokens stored before tokens could expire: those never do. */
  expiresAt?: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, maxlength: 254 },
    emailLower: { type: String, required: true, maxlength: 254 },
    name: { type: String, required: true, maxlength: 80 },
    passwordHash: { type: String, required: true },
    credentialsVersion: { type: Number, default: 0, min: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);
userSchema.index({ emailLower: 1 }, { unique: true });

const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 80 },
    role: { type: String, enum: ROLES, required: true },
    tokenHash: { type: String, required: true },
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // No TTL index: not every supported server has them, and an expired token stays listed
    // (marked expired) until its owner revokes it.
    expiresAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_tokens', versionKey: false },
);
apiTokenSchema.index({ tokenHash: 1 }, { unique: true });
apiTokenSchema.index({ userId: 1, createdAt: -1 });

export function accountModels(conn: Connection) {
  return {
    users: modelOn(conn, 'User', userSchema),
    apiTokens: modelOn(conn, 'ApiToken', apiTokenSchema),
  };
}
