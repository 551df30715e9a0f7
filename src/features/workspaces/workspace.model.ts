import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import { ROLES, type Role } from './workspace.types';

export type WorkspaceDoc = { _id: string; name: string; createdAt: Date };
export type MembershipDoc = {
  _id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: Date;
};
export type InvitationDoc = {
  _id: string;
  workspaceId: string;
  role: Role;
  /** sha256 of the link token: the token itself is shown once and never stored. */
  tokenHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
};

const workspaceSchema = new Schema<WorkspaceDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, maxlength: 80 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'workspaces', versionKey: false },
);

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'memberships', versionKey: false },
);
membershipSchema.index({ workspaceId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ userId: 1 });

const invitationSchema = new Schema<InvitationDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    tokenHash: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: String, default: null },
  },
  { collection: 'invitations', versionKey: false },
);
invitationSchema.index({ tokenHash: 1 }, { unique: true });
invitationSchema.index({ workspaceId: 1, createdAt: -1 });

/**
 * One document per used invitation, keyed by the invitation's id: the unique _id makes "use it
 * once" hold under concurrent accepts on every server (a conditional update is not isolated on
 * the embedded database: README, "The embedded database").
 */
export type InvitationClaimDoc = { _id: string; userId: string; at: Date };

const invitationClaimSchema = new Schema<InvitationClaimDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'invitation_claims', versionKey: false },
);

export function workspaceModels(conn: Connection) {
  return {
    workspaces: modelOn(conn, 'Workspace', workspaceSchema),
    memberships: modelOn(conn, 'Membership', membershipSchema),
    invitations: modelOn(conn, 'Invitation', invitationSchema),
    invitationClaims: modelOn(conn, 'InvitationClaim', invitationClaimSchema),
  };
}
