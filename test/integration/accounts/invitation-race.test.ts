import { createWorkspacesModule } from '../../../src/features/workspaces';
import { FIXED_NOW } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { quietPreparation } from '../../support/preparation';

/** "Invite by a one-time link" under load: many people accepting the same link at once. */
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

it('one invitation accepted by ten users at once makes exactly one member', async () => {
  const workspaces = createWorkspacesModule({
    conn: db.conn,
    clock: () => FIXED_NOW,
    preparation: quietPreparation(),
  }).service;
  const workspace = await workspaces.createWithOwner('Race', 'owner-1');
  const owner = {
    userId: 'owner-1',
    workspaceId: workspace.id,
    role: 'owner',
    via: 'session',
  } as const;
  const { token } = await workspaces.invite(owner, 'coach');

  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) => workspaces.acceptInvitation(token, `user-${i}`)),
  );

  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const refusals = outcomes.flatMap((o): unknown[] => (o.status === 'rejected' ? [o.reason] : []));
  expect(refusals).toHaveLength(9);
  for (const refusal of refusals) {
    expect(refusal).toMatchObject({ status: 404, code: 'INVITATION_NOT_FOUND' });
  }
  expect(
    await db.conn.collection('memberships').countDocuments({ workspaceId: workspace.id }),
  ).toBe(2);
});
