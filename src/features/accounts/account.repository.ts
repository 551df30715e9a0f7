import { type Connection } from 'mongoose';
import { anyOf, lessThan } from '../../shared/db/filters';
import { ConflictError } from '../../shared/errors';
import { randomId } from '../../shared/ids';
import { accountModels, type ApiTokenDoc, type UserDoc } from './account.model';
import type { ApiToken, User } from './account.types';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';

const toUser = (d: UserDoc): User => ({
  id: d._id,
  email: d.email,
  name: d.name,
  // Users stored before credentials had versions have none: version 0.
  credentialsVersion: d.credentialsVersion ?? 0,
  createdAt: d.createdAt,
});
const toToken = (d: ApiTokenDoc): ApiToken => ({
  id: d._id,
  userId: d.userId,
  workspaceId: d.workspaceId,
  name: d.name,
  role: d.role,
  prefix: d.prefix,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt ?? null,
  lastUsedAt: d.lastUsedAt,
  revokedAt: d.revokedAt,
});

export function createAccountRepository(conn: Connection) {
  const m = accountModels(conn);

  return {
    async init(): Promise<void> {
      await Promise.all([m.users.createIndexes(), m.apiTokens.createIndexes()]);
    },

    async insertUser(input: {
      email: string;
      name: string;
      passwordHash: string;
      createdAt: Date;
    }): Promise<User> {
      const doc: UserDoc = {
        _id: randomId(),
        emailLower: input.email.toLowerCase(),
        credentialsVersion: 0,
        ...input,
      };
      try {
        await m.users.create(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw new ConflictError(
            'EMAIL_TAKEN',
            'An account with this email address exists already. Log in instead.',
          );
        }
        throw err;
      }
      return toUser(doc);
    },

    /** The user and the password hash, for checking a password. */
    async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
      const doc = await m.users.findOne({ emailLower: email.toLowerCase() }).lean<UserDoc>();
      return doc ? { user: toUser(doc), passwordHash: doc.passwordHash } : null;
    },

    async findUserWithHash(id: string): Promise<{ user: User; passwordHash: string } | null> {
      const doc = await m.users.findById(id).lean<UserDoc>();
      return doc ? { user: toUser(doc), passwordHash: doc.passwordHash } : null;
    },

    async findUsers(ids: readonly string[]): Promise<User[]> {
      const docs = await m.users.find({ _id: anyOf(ids) }).lean<UserDoc[]>();
      return docs.map(toUser);
    },

    /**
     * A new password: one update that also raises the credentials version (ending the user's
     * other sessions), then every API token of the user revoked. Returns the new version.
     */
    async changePassword(id: string, passwordHash: string, at: Date): Promise<number> {
      const doc = await m.users
        .findOneAndUpdate(
          { _id: id },
          { $set: { passwordHash }, $inc: { credentialsVersion: 1 } },
          { returnDocument: 'after' },
        )
        .lean<UserDoc>();
      await m.apiTokens.updateMany({ userId: id, revokedAt: null }, { $set: { revokedAt: at } });
      return doc?.credentialsVersion ?? 0;
    },

    async insertToken(
      input: Omit<ApiTokenDoc, '_id' | 'lastUsedAt' | 'revokedAt'> & { expiresAt: Date | null },
    ): Promise<ApiToken> {
      const doc: ApiTokenDoc = { _id: randomId(), ...input, lastUsedAt: null, revokedAt: null };
      await m.apiTokens.create(doc);
      return toToken(doc);
    },

    async findTokenByHash(tokenHash: string): Promise<ApiToken | null> {
      const doc = await m.apiTokens.findOne({ tokenHash }).lean<ApiTokenDoc>();
      return doc ? toToken(doc) : null;
    },

    async tokensOf(userId: string, workspaceId: string): Promise<ApiToken[]> {
      const docs = await m.apiTokens
        .find({ userId, workspaceId, revokedAt: null })
        .sort({ createdAt: -1 })
        .lean<ApiTokenDoc[]>();
      return docs.map(toToken);
    },

    async revokeToken(userId: string, id: string, at: Date): Promise<boolean> {
      const result = await m.apiTokens.updateOne(
        { _id: id, userId, revokedAt: null },
        { $set: { revokedAt: at } },
      );
      return result.matchedCount === 1;
    },

    /**
     * Records a use at `now` unless one at or after `since` is recorded already. The condition
     * is in the update, so requests racing on any number of instances write it once.
     */
    async touchToken(id: string, now: Date, since: Date): Promise<void> {
      await m.apiTokens.updateOne(
        { _id: id, $or: [{ lastUsedAt: null }, { lastUsedAt: lessThan(since) }] },
        { $set: { lastUsedAt: now } },
      );
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
