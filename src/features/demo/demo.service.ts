import type { QuestionnaireDefinition, QuestionnaireVersion } from '../questionnaires';
import type { ResponseService } from '../responses';
import type { ActionService } from '../actions';
import type { RoundService } from '../rounds';
import type { TeamService } from '../teams';
import { ConflictError } from '../../shared/errors';
import { assertRole, type Actor } from '../workspaces';

/**
 * Demo data a newcomer can open a minute after installing: three teams, each with two rounds of
 * "Operating maturity" (spring, closed; autumn, open) and one of "Tensions in how we work", and
 * the actions they agreed after spring (some done, one overdue, one dropped), which the autumn
 * reports follow up.
 * Answers are varied but reproducible (a seeded generator), with a contested item and an
 * autumn round below the minimum group size, so every report, the comparison and the trend
 * have something to show, the anonymity rule included.
 */

/** mulberry32: a small seeded generator, so the demo looks the same every time. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Profile = Readonly<{
  name: string;
  tags: string[];
  /** Typical maturity level (1–5) in spring; autumn adds `growth`. */
  level: number;
  growth: number;
  /** Typical tension position (1–7). */
  lean: number;
  /** Item ids on which this team is split between the extremes. */
  contested: string[];
  /** Respondents in spring and autumn (autumn below 3 shows the anonymity rule). */
  people: [number, number];
  /** The team's size, so rounds show "5 of 7 answered". */
  expectedSize: number;
  /** What the team agreed after a round: its title gives the round, `due` is days from today. */
  actions: readonly DemoAction[];
}>;

type DemoAction = Readonly<{
  after: 'Spring check' | 'Tensions';
  itemId: string;
  title: string;
  owner?: string;
  due?: number;
  status?: 'open' | 'done' | 'dropped';
  pole?: 'left' | 'right';
}>;

const TEAMS: readonly Profile[] = [
  {
    name: 'Atlas',
    tags: ['tribe: payments', 'site: Lyon'],
    level: 2.2,
    growth: 0.8,
    lean: 2.5,
    contested: ['busy-vs-flow'],
    people: [6, 5],
    expectedSize: 7,
    actions: [
      {
        after: 'Spring check',
        itemId: 'visible-work',
        title: 'Put unplanned work on the board the day it arrives',
        owner: 'Sam',
        due: -40,
        status: 'done',
      },
      {
        after: 'Spring check',
        itemId: 'finish-before-start',
        title: 'Agree a limit of three items in progress',
        owner: 'the team',
        due: -10,
      },
      {
        after: 'Tensions',
        itemId: 'long-roadmap-vs-short-cycles',
        title: 'Plan six weeks ahead instead of a year',
        pole: 'right',
      },
    ],
  },
  {
    name: 'Borealis',
    tags: ['tribe: platform', 'site: Oslo'],
    level: 3.4,
    growth: 0.3,
    lean: 4,
    contested: ['finish-before-start'],
    people: [5, 6],
    expectedSize: 6,
    actions: [
      {
        after: 'Spring check',
        itemId: 'waiting-work',
        title: 'Look at blocked work first at every stand-up',
        owner: 'Kim',
        status: 'done',
      },
      {
        after: 'Spring check',
        itemId: 'share-learning',
        title: 'Invite another team to our review',
        status: 'dropped',
      },
    ],
  },
  {
    name: 'Cirrus',
    tags: ['tribe: mobile', 'site: Lyon'],
    level: 2.8,
    growth: -0.2,
    lean: 5.5,
    contested: [],
    people: [5, 2],
    expectedSize: 6,
    actions: [
      {
        after: 'Spring check',
        itemId: 'measure-after-release',
        title: 'Write down the effect we expect before each release',
        owner: 'Alex',
        due: 21,
      },
    ],
  },
];

/** The day `days` after `day` (YYYY-MM-DD, UTC); negative goes back. */
function daysFrom(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function clamp(value: number, max: number): number {
  return Math.max(1, Math.min(max, Math.round(value)));
}

function answersFor(
  definition: QuestionnaireDefinition,
  profile: Profile,
  level: number,
  person: number,
  random: () => number,
) {
  const noise = () => (random() - 0.5) * 2.2;
  return definition.sections
    .flatMap((s) => s.items)
    .map((item, index) => {
      const split = profile.contested.includes(item.id);
      switch (item.kind) {
        case 'maturity': {
          const max = item.levels.length;
          const value = split
            ? person % 2 === 0
              ? 1
              : max
            : clamp(level + (index % 3) * 0.3 + noise(), max);
          return { itemId: item.id, value };
        }
        case 'tension': {
          const value = split
            ? person % 2 === 0
              ? 1
              : 7
            : clamp(profile.lean + ((index % 5) - 2) * 0.6 + noise(), 7);
          return item.askDesired
            ? { itemId: item.id, value, desired: clamp(value + 1 + random() * 1.5, 7) }
            : { itemId: item.id, value };
        }
        case 'practice':
          return { itemId: item.id, text: `Demo answer ${person + 1}` };
        case 'dcf':
          return {
            itemId: item.id,
            classes: Object.fromEntries(
              item.aspects.map((a, i) => [
                a.key,
                (['driver', 'constraint', 'float'] as const)[(i + person) % 3],
              ]),
            ),
          };
      }
    });
}

export function createDemoService(deps: {
  teams: Pick<TeamService, 'create' | 'list'>;
  actions: Pick<ActionService, 'create' | 'today'>;
  rounds: Pick<RoundService, 'create' | 'open' | 'close'>;
  responses: Pick<ResponseService, 'openRound' | 'submit'>;
  questionnaires: {
    get: (workspaceId: string | null, slug: string) => Promise<QuestionnaireVersion>;
  };
}) {
  return {
    /** Seeds the actor's workspace (coach or owner) once; 409 when the demo teams exist. */
    async seed(
      actor: Actor,
    ): Promise<{ teams: number; rounds: number; responses: number; actions: number }> {
      assertRole(actor, 'coach');
      const existing = await deps.teams.list(actor, { includeArchived: true });
      if (existing.some((t) => t.name.endsWith('(demo)'))) {
        throw new ConflictError('DEMO_EXISTS', 'This workspace has the demo teams already.');
      }
      const random = generator(20261124);
      const maturity = (await deps.questionnaires.get(null, 'operating-maturity')).definition;
      const tensions = (await deps.questionnaires.get(null, 'tensions-in-how-we-work')).definition;
      let rounds = 0;
      let responses = 0;
      let actions = 0;
      for (const profile of TEAMS) {
        const team = await deps.teams.create(actor, {
          name: `${profile.name} (demo)`,
          tags: profile.tags,
          expectedSize: profile.expectedSize,
        });
        const plan = [
          {
            slug: 'operating-maturity',
            definition: maturity,
            title: 'Spring check',
            people: profile.people[0],
            level: profile.level,
            close: true,
          },
          {
            slug: 'tensions-in-how-we-work',
            definition: tensions,
            title: 'Tensions',
            people: profile.people[0],
            level: 0,
            close: true,
          },
          {
            slug: 'operating-maturity',
            definition: maturity,
            title: 'Autumn check',
            people: profile.people[1],
            level: profile.level + profile.growth,
            close: false,
          },
        ];
        const roundIds = new Map<string, string>();
        for (const step of plan) {
          const round = await deps.rounds.create(actor, {
            teamId: team.id,
            questionnaire: { slug: step.slug },
            title: step.title,
          });
          await deps.rounds.open(actor, round.id);
          const open = await deps.responses.openRound(round.linkToken, 'demo');
          for (let person = 0; person < step.people; person += 1) {
            const answers = answersFor(step.definition, profile, step.level, person, random);
            await deps.responses.submit(open, { answers }, { ip: 'demo' });
            responses += 1;
          }
          if (step.close) await deps.rounds.close(actor, round.id);
          roundIds.set(step.title, round.id);
          rounds += 1;
        }
        for (const action of profile.actions) {
          await deps.actions.create(actor, team.id, {
            sourceRoundId: roundIds.get(action.after),
            itemId: action.itemId,
            title: action.title,
            owner: action.owner ?? null,
            dueOn: action.due === undefined ? null : daysFrom(deps.actions.today(), action.due),
            status: action.status ?? 'open',
            pole: action.pole ?? null,
          });
          actions += 1;
        }
      }
      return { teams: TEAMS.length, rounds, responses, actions };
    },
  };
}

export type DemoService = ReturnType<typeof createDemoService>;
