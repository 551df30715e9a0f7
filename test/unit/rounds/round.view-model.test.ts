import type { Round } from '../../../src/features/rounds';
import {
  roundInputFromForm,
  toNewRoundView,
  toRoundDto,
  toRoundPage,
  toRoundSummary,
} from '../../../src/features/rounds/round.view-model';

const round: Round = {
  id: 'r1',
  workspaceId: 'w1',
  teamId: 't1',
  teamName: 'Platform',
  invited: 0,
  questionnaire: { id: 'q1', slug: 'active-practice', version: 2, title: 'Active Practice' },
  title: 'Spring',
  anonymity: 'anonymous',
  access: 'link',
  minGroupSize: 3,
  status: 'open',
  closesAt: null,
  linkToken: 'a'.repeat(32),
  createdAt: new Date('2026-03-01T09:00:00Z'),
  openedAt: new Date('2026-03-02T09:00:00Z'),
  closedAt: null,
};

/** The round as RoundService.withCounts gives it. */
const counted = (status: Round['status'], responseCount: number, expectedSize: number | null) => ({
  round,
  status,
  responseCount,
  expectedSize,
  teamName: 'Atlas',
});

describe('toRoundDto', () => {
  it('gives coaches the link, viewers not, and the rate when the team size is known', () => {
    const coach = toRoundDto(counted('open', 6, 9), 'coach');
    const viewer = toRoundDto(counted('open', 6, null), 'viewer');

    expect(coach).toMatchObject({
      responseCount: 6,
      expected: 9,
      link: { token: round.linkToken, path: `/r/${round.linkToken}` },
    });
    expect(coach.responseRate).toBeCloseTo(6 / 9, 10);
    expect(viewer).not.toHaveProperty('link');
    expect(viewer).toMatchObject({ expected: null, responseRate: null });
    expect(viewer.openedAt).toBe('2026-03-02T09:00:00.000Z');
  });
});

describe('toRoundSummary', () => {
  it('says how many answered and, below k, how many more the first figure needs', () => {
    expect(toRoundSummary(counted('open', 1, 9))).toMatchObject({
      answeredText: '1 of 9 answered (11%)',
      belowKText: '2 more answers before any figure shows',
    });
    expect(toRoundSummary(counted('open', 2, null)).belowKText).toBe(
      '1 more answer before any figure shows',
    );
    expect(toRoundSummary(counted('closed', 3, null))).toMatchObject({
      answeredText: '3 answered',
      belowKText: null,
      statusText: 'Closed — no more answers',
    });
  });
});

describe('toRoundPage', () => {
  const page = (role: 'coach' | 'viewer', status: Round['status']) =>
    toRoundPage({
      ...counted(status, 0, null),
      teamUrl: '/teams/t1',
      role,
      origin: 'https://teamlens.example.org',
    });

  it('offers a coach the link and the next step of the round, a viewer neither', () => {
    expect(page('coach', 'draft')).toMatchObject({
      link: `https://teamlens.example.org/r/${round.linkToken}`,
      canOpen: true,
      canClose: false,
      canRotate: true,
    });
    expect(page('coach', 'closed')).toMatchObject({
      canOpen: false,
      canClose: false,
      canRotate: false,
    });
    expect(page('viewer', 'open')).toMatchObject({ link: null, canOpen: false, canClose: false });
  });
});

describe('the new-round form', () => {
  it('becomes the API input: k as a number, the closing day at its end (UTC)', () => {
    expect(
      roundInputFromForm({
        teamId: 't1',
        questionnaire: 'active-practice',
        title: 'Spring',
        anonymity: 'named',
        minGroupSize: '1',
        closesOn: '2026-04-30',
      }),
    ).toEqual({
      teamId: 't1',
      questionnaire: { slug: 'active-practice' },
      title: 'Spring',
      anonymity: 'named',
      minGroupSize: 1,
      closesAt: '2026-04-30T23:59:59Z',
    });
    expect(roundInputFromForm({ minGroupSize: '' })).toMatchObject({
      teamId: '',
      minGroupSize: undefined,
      closesAt: undefined,
    });
  });

  it('starts anonymous with k = 3 and keeps what the user chose', () => {
    const view = toNewRoundView({
      teams: [
        { id: 't1', name: 'Atlas' },
        { id: 't2', name: 'Borealis' },
      ],
      questionnaires: [{ slug: 'active-practice', title: 'Active Practice', version: 2 }],
      values: { teamId: 't2' },
      invitationsEnabled: false,
    });
    expect(view.anonymous).toBe(true);
    expect(view.byInvitation).toBe(false);
    expect(view.invitationsEnabled).toBe(false);
    expect(view.fields.minGroupSize?.value).toBe('3');
    expect(view.teams.find((t) => t.selected)?.value).toBe('t2');
    expect(view.questionnaires[0]?.label).toBe('Active Practice (version 2)');
  });

  it('keeps a submitted team or questionnaire that is none of the options, chosen and named as unknown', () => {
    const view = toNewRoundView({
      teams: [{ id: 't1', name: 'Atlas' }],
      questionnaires: [{ slug: 'active-practice', title: 'Active Practice', version: 2 }],
      values: { teamId: 'gone', questionnaire: 'no-such' },
      invitationsEnabled: false,
    });
    expect(view.teams.filter((t) => t.selected)).toEqual([
      { value: 'gone', label: 'Unknown team: gone', selected: true },
    ]);
    expect(view.questionnaires.filter((q) => q.selected)).toEqual([
      { value: 'no-such', label: 'Unknown questionnaire: no-such', selected: true },
    ]);
  });
});
